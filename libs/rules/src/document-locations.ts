import { isMap, isScalar, isSeq, type Node as YamlNode, type Pair } from 'yaml';

/**
 * Where a problem in a YAML/JSON document is, shared by the rule-set and retention-schedule
 * documents: "line 12, column 5: entries[3].anchor: must be one of ...".
 */
export type DocumentError = { line: number; column: number; path: string; problem: string; message: string };

export function article(type: string): string {
  return { integer: 'a whole number', number: 'a number', boolean: 'true or false', array: 'a list', object: 'a mapping', string: 'text' }[type] ?? type;
}

export function located(pos: { line: number; col: number }, path: string, problem: string): DocumentError {
  return { line: pos.line, column: pos.col, path, problem, message: `line ${pos.line}, column ${pos.col}: ${path}: ${problem}` };
}

export function pathText(segments: Array<string | number>): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

/** The offset of the node at `path` (of the key `key` in it, if named); the deepest existing node otherwise. */
export function offsetOf(root: unknown, path: Array<string | number>, key?: string): number {
  let node = root as YamlNode | null;
  let offset = node && 'range' in node && node.range ? node.range[0] : 0;
  const segments = key !== undefined ? [...path, key] : path;
  segments.forEach((segment, i) => {
    if (node === null) return;
    if (isMap(node)) {
      const pair = node.items.find((p: Pair) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return void (node = null);
      // The named unknown key points at the key itself; every other segment at its value.
      const target = (key !== undefined && i === segments.length - 1 ? pair.key : (pair.value ?? pair.key)) as YamlNode;
      if (target?.range) offset = target.range[0];
      node = target;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined;
      if (!item) return void (node = null);
      if (item.range) offset = item.range[0];
      node = item;
    } else node = null;
  });
  return offset;
}

/** The same message once, in the order found. */
export function dedupe(errors: DocumentError[]): DocumentError[] {
  const seen = new Set<string>();
  return errors.filter((e) => (seen.has(e.message) ? false : (seen.add(e.message), true)));
}
