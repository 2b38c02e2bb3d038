/**
 * A small, safe arithmetic evaluator for the coordinate expressions of ProcessOn shapes
 * (`w/2`, `h*0.3+4`, `w-Math.min(w,h)/3`, `height[0]`). ProcessOn's own exporter `eval`s them; here a
 * hand-written recursive-descent parser turns them into a tiny tree that only does arithmetic:
 * numbers, `+ - * / %`, unary signs, parentheses, variables (optionally indexed: `height[0]`),
 * `Math.<constant>` and a fixed list of `Math.<function>(...)`. Anything else is a parse error.
 * No `eval`, no `Function`, no property access on objects.
 */

type Node =
  | { k: 'n'; v: number }
  | { k: 'v'; name: string; index: Node | null }
  | { k: 'u'; op: '-' | '+'; a: Node }
  | { k: 'b'; op: '+' | '-' | '*' | '/' | '%'; a: Node; b: Node }
  | { k: 'f'; fn: (...args: number[]) => number; args: Node[] };

/** Looks a variable up (`w`, `h`, `height` with index 0, ...); undefined when unknown. */
export type Variables = (name: string, index?: number) => number | undefined;

export interface CompiledExpression {
  /** Evaluates with the given variables; NaN when a variable is unknown or the result is not finite. */
  evaluate(variables: Variables): number;
}

/** Longest expression accepted, and deepest nesting of parentheses/calls/unary signs. */
export const MAX_EXPRESSION_LENGTH = 500;
export const MAX_EXPRESSION_DEPTH = 32;
const MAX_ARGS = 16;

const MATH_FUNCTIONS: Record<string, (...args: number[]) => number> = {
  min: Math.min,
  max: Math.max,
  abs: Math.abs,
  round: Math.round,
  floor: Math.floor,
  ceil: Math.ceil,
  sqrt: Math.sqrt,
  pow: Math.pow,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  atan: Math.atan,
  atan2: Math.atan2,
};

const MATH_CONSTANTS: Record<string, number> = { PI: Math.PI, E: Math.E, SQRT2: Math.SQRT2 };

export class ExpressionError extends Error {}

/** Parses an expression; throws ExpressionError with a short reason when it is not plain arithmetic. */
export const parseExpression = (source: string): CompiledExpression => {
  if (source.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError('expression too long');
  let pos = 0;
  let depth = 0;

  const fail = (what: string): never => {
    throw new ExpressionError(`${what} at ${pos}`);
  };
  const skip = () => {
    while (pos < source.length && (source[pos] === ' ' || source[pos] === '\t' || source[pos] === '\n' || source[pos] === '\r')) pos += 1;
  };
  const peek = (): string => {
    skip();
    return source[pos] ?? '';
  };
  const expect = (c: string) => {
    if (peek() !== c) fail(`expected "${c}"`);
    pos += 1;
  };
  const enter = () => {
    depth += 1;
    if (depth > MAX_EXPRESSION_DEPTH) fail('nested too deeply');
  };
  const identifier = (): string => {
    skip();
    const start = pos;
    while (pos < source.length && /[A-Za-z0-9_$]/.test(source[pos])) pos += 1;
    if (start === pos || /[0-9]/.test(source[start])) fail('expected a name');
    return source.slice(start, pos);
  };
  const number = (): Node => {
    skip();
    const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(pos, pos + 64));
    if (!match) return fail('expected a number');
    pos += match[0].length;
    return { k: 'n', v: Number(match[0]) };
  };

  const sum = (): Node => {
    let left = product();
    for (;;) {
      const c = peek();
      if (c !== '+' && c !== '-') return left;
      pos += 1;
      left = { k: 'b', op: c, a: left, b: product() };
    }
  };
  const product = (): Node => {
    let left = unary();
    for (;;) {
      const c = peek();
      if (c !== '*' && c !== '/' && c !== '%') return left;
      pos += 1;
      left = { k: 'b', op: c, a: left, b: unary() };
    }
  };
  const unary = (): Node => {
    const c = peek();
    if (c === '-' || c === '+') {
      pos += 1;
      enter();
      const a = unary();
      depth -= 1;
      return { k: 'u', op: c, a };
    }
    return primary();
  };
  const primary = (): Node => {
    const c = peek();
    if (c === '(') {
      pos += 1;
      enter();
      const inner = sum();
      depth -= 1;
      expect(')');
      return inner;
    }
    if (/[0-9.]/.test(c)) return number();
    const name = identifier();
    if (name === 'Math') {
      expect('.');
      const member = identifier();
      if (Object.prototype.hasOwnProperty.call(MATH_CONSTANTS, member)) return { k: 'n', v: MATH_CONSTANTS[member] };
      if (!Object.prototype.hasOwnProperty.call(MATH_FUNCTIONS, member)) return fail(`unknown Math.${member}`);
      expect('(');
      enter();
      const args: Node[] = [];
      if (peek() !== ')') {
        for (;;) {
          args.push(sum());
          if (args.length > MAX_ARGS) fail('too many arguments');
          if (peek() !== ',') break;
          pos += 1;
        }
      }
      depth -= 1;
      expect(')');
      return { k: 'f', fn: MATH_FUNCTIONS[member], args };
    }
    let index: Node | null = null;
    if (peek() === '[') {
      pos += 1;
      enter();
      index = sum();
      depth -= 1;
      expect(']');
    }
    return { k: 'v', name, index };
  };

  const tree = sum();
  if (peek() !== '') fail('unexpected character');

  const run = (node: Node, variables: Variables): number => {
    switch (node.k) {
      case 'n':
        return node.v;
      case 'v': {
        if (node.index === null) return variables(node.name) ?? NaN;
        const i = run(node.index, variables);
        return Number.isInteger(i) && i >= 0 ? variables(node.name, i) ?? NaN : NaN;
      }
      case 'u':
        return node.op === '-' ? -run(node.a, variables) : run(node.a, variables);
      case 'b': {
        const a = run(node.a, variables);
        const b = run(node.b, variables);
        switch (node.op) {
          case '+':
            return a + b;
          case '-':
            return a - b;
          case '*':
            return a * b;
          case '/':
            return a / b;
          default:
            return a % b;
        }
      }
      default: {
        const values = node.args.map((arg) => run(arg, variables));
        return node.fn(...values);
      }
    }
  };

  return {
    evaluate(variables: Variables): number {
      const value = run(tree, variables);
      return Number.isFinite(value) ? value : NaN;
    },
  };
};

const CACHE_LIMIT = 4096;
const cache = new Map<string, CompiledExpression | null>();

/**
 * Evaluates a coordinate: a number as is, a numeric string or an expression string (compiled once
 * and cached). NaN for anything that is not a finite number or a valid expression.
 */
export const evaluateCoordinate = (value: unknown, variables: Variables): number => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value !== 'string') return NaN;
  let compiled = cache.get(value);
  if (compiled === undefined) {
    try {
      compiled = parseExpression(value);
    } catch {
      compiled = null;
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(value, compiled);
  }
  return compiled ? compiled.evaluate(variables) : NaN;
};
