// The part of mvdan-sh (mvdan.cc/sh compiled to JavaScript by GopherJS) that parse/shell.ts uses.
// Offsets are UTF-8 byte offsets, as in Go. parse/shell.ts reads the syntax tree through
// `__internal_object__` (the Go structures themselves); the wrapper API is not used.
declare module 'mvdan-sh' {
  export interface Pos {
    Offset(): number;
    Line(): number;
    Col(): number;
    IsValid(): boolean;
  }

  /** What `Parse` throws for a script it rejects. */
  export interface ParseError {
    Text: string;
    Pos: Pos;
    Incomplete: boolean;
  }

  export interface File {
    /** The parsed file as GopherJS keeps it, without JavaScript wrappers. */
    __internal_object__: unknown;
  }

  export interface Parser {
    Parse(src: string, name: string): File;
  }

  export const syntax: {
    NewParser(...options: unknown[]): Parser;
  };
}
