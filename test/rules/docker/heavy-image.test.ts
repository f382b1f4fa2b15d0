import rule from '../../../server/src/rules/docker/heavy-image';
import { ruleTester } from '../../rule-tester';

ruleTester(rule, {
  flagged: [
    {
      name: 'a Go app built and run on golang',
      path: 'Dockerfile',
      text: `FROM «golang:1.23»
WORKDIR /src
COPY . .
RUN go build -o /app ./cmd/server
CMD ["/app"]
`,
      messages: [
        'The final image is built on golang:1.23, a compiler image: the toolchain ships with the app. Build in a separate stage and copy the result into a slim one.',
      ],
      messageIds: ['compilerImage'],
    },
    {
      name: 'full python image installing build-essential and headers',
      path: 'Dockerfile',
      text: `ARG PY=3.12
FROM «python:\${PY}» AS base
RUN apt-get update && apt-get install -y build-essential libpq-dev && rm -rf /var/lib/apt/lists/*
FROM base
COPY . /app
RUN pip install -r /app/requirements.txt
EXPOSE 8000
`,
      messages: [
        'The final image is the full python:3.12 image and also installs build-essential, libpq-dev: build in a separate stage and ship a slim one.',
      ],
      messageIds: ['fullImageWithCompilers'],
    },
    {
      name: 'a JDK image running a jar',
      path: 'Dockerfile',
      text: `FROM «eclipse-temurin:21-jdk»\nCOPY target/app.jar /app.jar\nENTRYPOINT ["java", "-jar", "/app.jar"]\n`,
      messages: [
        'The final image is built on eclipse-temurin:21-jdk, a JDK, yet nothing is compiled in it: the app needs only a Java runtime. Run it on a JRE image (eclipse-temurin with a -jre tag, say).',
      ],
    },
    {
      name: 'a JDK image that builds the jar in place',
      path: 'Dockerfile',
      text: `FROM «eclipse-temurin:21-jdk»\nCOPY . /src\nRUN cd /src && ./mvnw -B package\nENTRYPOINT ["java", "-jar", "/src/target/app.jar"]\n`,
      messageIds: ['compilerImage'],
    },
  ],
  clean: [
    {
      name: 'multi-stage with a distroless final stage',
      path: 'Dockerfile',
      text: `FROM golang:1.23 AS build
RUN go build -o /app .
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /app /app
ENTRYPOINT ["/app"]
`,
    },
    {
      name: 'slim images, virtual build deps removed in the same RUN, and a full image without compilers',
      path: 'Dockerfile',
      text: `FROM python:3.12-alpine
RUN apk add --no-cache --virtual .build-deps gcc musl-dev && pip install --no-cache-dir -r requirements.txt && apk del .build-deps
CMD ["python", "app.py"]
`,
    },
    {
      name: 'a full image without compilers is left alone',
      path: 'Dockerfile',
      text: `FROM node:22\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n`,
    },
    {
      name: 'a CI image with no CMD, ENTRYPOINT or EXPOSE',
      path: 'Dockerfile',
      text: `FROM maven:3.9-eclipse-temurin-21\nCOPY . /src\nRUN mvn -B verify\n`,
    },
  ],
});
