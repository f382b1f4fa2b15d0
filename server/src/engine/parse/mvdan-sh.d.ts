// The part of mvdan-sh (mvdan.cc/sh compiled to JavaScript by GopherJS) that parse/shell.ts uses.
// Offsets are UTF-8 byte offsets, as in Go.
declare module 'mvdan-sh' {
  export interface Pos {
    Offset(): number;
    Line(): number;
    Col(): number;
    IsValid(): boolean;
  }

  export interface Node {
    Pos(): Pos;
    End(): Pos;
  }

  export interface File extends Node {
    Stmts: Stmt[];
  }

  export interface Stmt extends Node {
    Cmd: Node | null;
    Negated: boolean;
    Background: boolean;
    Coprocess: boolean;
    Semicolon: Pos;
    Redirs: Redirect[];
  }

  export interface Redirect extends Node {
    Op: number;
    OpPos: Pos;
    N: Lit | null;
    Word: Word | null;
    Hdoc: Word | null;
  }

  export interface Word extends Node {
    Parts: Node[];
    Lit(): string;
  }

  export interface Lit extends Node {
    Value: string;
  }

  export interface SglQuoted extends Node {
    Value: string;
    Dollar: boolean;
  }

  export interface DblQuoted extends Node {
    Parts: Node[];
  }

  export interface Assign extends Node {
    Name: Lit | null;
    Value: Word | null;
    Append: boolean;
    Naked: boolean;
  }

  export interface CallExpr extends Node {
    Assigns: Assign[];
    Args: Word[];
  }

  export interface BinaryCmd extends Node {
    Op: number;
    OpPos: Pos;
    X: Stmt;
    Y: Stmt;
  }

  export interface ParseError {
    Text: string;
    Pos: Pos;
    Incomplete: boolean;
  }

  export interface Parser {
    Parse(src: string, name: string): File;
  }

  export const syntax: {
    NewParser(...options: unknown[]): Parser;
    NodeType(node: Node): string;
    Walk(node: Node, visit: (node: Node | null) => boolean): void;
  };
}
