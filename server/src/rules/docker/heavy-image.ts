import type { Instruction } from 'dockerfile-ast';
import { isBuildToolchainImage, isFullLanguageImage } from '../../engine/docker/images';
import { installedPackages, packageCommand } from '../../engine/docker/packages';
import { isBaseImage } from '../../engine/docker/purpose';
import type { DockerfileModel, Stage } from '../../engine/parse/dockerfile';
import { defineRule } from '../../engine/rule';

/** Compiler toolchains and headers, as package names of apt, apk and yum. */
const compilerPackages =
  /^(build-essential|build-base|gcc|gcc-c\+\+|g\+\+|clang|llvm|make|cmake|autoconf|automake|libtool|musl-dev|libc6?-dev|linux-headers|python3?-dev|golang|rustc|cargo|default-jdk|openjdk-\d+-jdk(-headless)?|maven|gradle|[\w.+-]+-(dev|devel))$/;

/** Compiler packages the final image's stages install, with the ones removed again in the same RUN left out. */
function installedCompilers(model: DockerfileModel, chain: Stage[]): string[] {
  const found: string[] = [];
  for (const stage of chain) {
    for (const run of stage.instructions.filter((i) => i.getKeyword() === 'RUN')) {
      const commands = model.commands(run).map(({ command }) => command);
      const removed = new Set<string>();
      for (const command of commands) {
        const packages = packageCommand(command);
        const sub = packages?.subcommand?.value ?? '';
        if (packages && ['del', 'remove', 'purge', 'autoremove', 'erase'].includes(sub)) {
          for (const word of packages.operands) if (word.value) removed.add(word.value);
        }
      }
      for (const command of commands) {
        const packages = packageCommand(command);
        const installed = packages && installedPackages(packages);
        if (!packages || !installed || !['apt', 'apk', 'yum'].includes(packages.manager)) continue;
        // `apk add --virtual .build-deps gcc … && apk del .build-deps` leaves nothing behind.
        const virtual = packages.options.findIndex((o) => o.value === '--virtual' || o.value === '-t');
        const group = virtual >= 0 ? packages.options[virtual + 1]?.value : undefined;
        if (group && removed.has(group)) continue;
        for (const word of installed) {
          const name = word.value?.replace(/[=~<>].*$/, '');
          if (name && compilerPackages.test(name) && !removed.has(name) && !found.includes(name))
            found.push(name);
        }
      }
    }
  }
  return found;
}

/** Whether the final stage starts something (it is meant to run, not to be a build or CI image). */
function runsAnApp(final: Stage): boolean {
  return ['CMD', 'ENTRYPOINT', 'EXPOSE'].some((keyword) =>
    final.instructions.some((i) => i.getKeyword() === keyword),
  );
}

/** Whether the final stage copies from another stage: the build is already split. */
function copiesFromStages(final: Stage): boolean {
  return final.instructions.some(
    (i) =>
      (i.getKeyword() === 'COPY' || i.getKeyword() === 'ADD') && /(^|\s)--from=/.test(i.getTextContent()),
  );
}

/** A RUN that builds Java: Maven, Gradle, sbt, javac or a wrapper script of theirs. */
function compilesJava(instruction: Instruction): boolean {
  return (
    instruction.getKeyword() === 'RUN' &&
    /(^|[\s;&|/])(mvn|mvnw|gradle|gradlew|sbt|javac|ant|lein)(\s|$)/.test(instruction.getTextContent())
  );
}

export default defineRule({
  id: 'container-ready/heavy-image',
  lesson: 'container-ready',
  title: 'Compiler toolchain shipped in the final image',
  severity: 'info',
  equivalents: [],
  fix: 'no',
  messages: {
    jdkImage:
      'The final image is built on {{image}}, a JDK, yet nothing is compiled in it: the app needs only a Java runtime. Run it on a JRE image (eclipse-temurin with a -jre tag, say).',
    compilerImage:
      'The final image is built on {{image}}, a compiler image: the toolchain ships with the app. Build in a separate stage and copy the result into a slim one.',
    fullImageWithCompilers:
      'The final image is the full {{image}} image and also installs {{packages}}: build in a separate stage and ship a slim one.',
  },
  docs: {
    what:
      'A final image that runs an app (it has `CMD`, `ENTRYPOINT` or `EXPOSE`) and that is built, without a separate build stage, on a compiler image (`golang`, `rust`, `maven`, `gradle`, a JDK, `dotnet/sdk`, `gcc`, `buildpack-deps`), ' +
      'or on the full variant of a language image (`node:22`, `python:3.12`, `ruby:3.3`) while installing compilers or `-dev` headers. ' +
      'Compilers installed and removed in the same `RUN` (`apk add --virtual .build-deps … && apk del .build-deps`) are not counted, and images built as a base for others (they copy no application and start at most a shell or a language prompt, like the official runtime images) are not flagged.',
    why:
      'A toolchain adds hundreds of megabytes that the running app never uses: every new instance pulls them before it can start, so scaling out and replacing failed tasks take longer, and every CVE in a compiler or header package is yours to patch. ' +
      'A compiler inside a running container is also a gift to an attacker who gets in. ' +
      'Build in one stage and copy only the result into a slim, distroless or scratch final stage.',
    example: {
      language: 'dockerfile',
      code: `FROM golang:1.23
WORKDIR /src
COPY . .
RUN go build -o /app ./cmd/server
CMD ["/app"]`,
    },
    useInstead: {
      language: 'dockerfile',
      code: `FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /app ./cmd/server

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
ENTRYPOINT ["/app"]`,
    },
    references: [
      { title: 'Docker: multi-stage builds', url: 'https://docs.docker.com/build/building/multi-stage/' },
    ],
  },
  checks: {
    docker({ model, report }) {
      const final = model.finalStage;
      // A runtime image built as a base for others ships its toolchain on purpose.
      if (!final || !runsAnApp(final) || isBaseImage(model)) return;
      const chain = model.finalChain;
      if (chain.some(copiesFromStages)) return;
      const root = model.rootImage(final);
      const rootStage = chain[chain.length - 1];
      const at = model.span(rootStage.from.getImageRange() ?? rootStage.from.getRange());
      // Both checks need a known reference, which only a resolved image has.
      if (!root?.resolved) return;
      if (isBuildToolchainImage(root.reference)) {
        // A JDK that compiles nothing only has to become a JRE: a build stage would be advice past the point.
        const jdkOnly =
          ['openjdk', 'eclipse-temurin', 'amazoncorretto', 'ibm-semeru-runtimes', 'sapmachine'].includes(
            root.reference?.repository ?? '',
          ) && !chain.some((stage) => stage.instructions.some(compilesJava));
        report({ at, messageId: jdkOnly ? 'jdkImage' : 'compilerImage', data: { image: root.resolved } });
        return;
      }
      if (!isFullLanguageImage(root.reference)) return;
      const compilers = installedCompilers(model, chain);
      if (compilers.length === 0) return;
      report({
        at,
        messageId: 'fullImageWithCompilers',
        data: { image: root.resolved, packages: compilers.join(', ') },
      });
    },
  },
});
