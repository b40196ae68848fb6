import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { COMMAND_PROBLEM_CODES, statusOfCode } from '../../apps/api/src/shared/openapi/problem-codes';

/**
 * The problem codes the OpenAPI document lists per command (COMMAND_PROBLEM_CODES) are derived
 * from the domain's sources: the error classes a command's decider function constructs, directly
 * or through the domain functions it calls (by name, over libs/domain/src and libs/rules/src).
 * When a decider starts throwing a new error, this fails until the table (and so the document) says so.
 */
const ROOTS = ['libs/domain/src', 'libs/rules/src'].map((dir) => join(__dirname, '../..', dir));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

interface CallGraph {
  errorCodes: Map<string, string>;
  calls: Map<string, Set<string>>;
  constructs: Map<string, Set<string>>;
  /** Command type -> the function its decider's switch hands it to. */
  handlers: Map<string, string>;
}

function callGraph(): CallGraph {
  const graph: CallGraph = { errorCodes: new Map(), calls: new Map(), constructs: new Map(), handlers: new Map() };
  for (const file of ROOTS.flatMap(sourceFiles)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const record = (name: string, body: ts.Node) => {
      const calls = graph.calls.get(name) ?? new Set<string>();
      const constructs = graph.constructs.get(name) ?? new Set<string>();
      const visit = (node: ts.Node) => {
        if (ts.isCallExpression(node)) {
          const callee = node.expression;
          if (ts.isIdentifier(callee)) calls.add(callee.text);
          else if (ts.isPropertyAccessExpression(callee)) calls.add(callee.name.text);
        }
        if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) constructs.add(node.expression.text);
        // A decider's switch: `case 'Command': return handler(command, ...)`.
        if (ts.isCaseClause(node) && ts.isStringLiteral(node.expression)) {
          const returned = node.statements.find(ts.isReturnStatement)?.expression;
          if (returned && ts.isCallExpression(returned) && ts.isIdentifier(returned.expression))
            graph.handlers.set(node.expression.text, returned.expression.text);
          else graph.handlers.set(node.expression.text, name); // handled inline: the whole function's codes
        }
        ts.forEachChild(node, visit);
      };
      ts.forEachChild(body, visit);
      graph.calls.set(name, calls);
      graph.constructs.set(name, constructs);
    };
    ts.forEachChild(source, (node) => {
      if (ts.isClassDeclaration(node) && node.name) {
        for (const member of node.members) {
          if (ts.isPropertyDeclaration(member) && member.name.getText() === 'code' && member.initializer && ts.isStringLiteral(member.initializer))
            graph.errorCodes.set(node.name.text, member.initializer.text);
        }
        record(node.name.text, node);
      } else if (ts.isFunctionDeclaration(node) && node.name && node.body) {
        record(node.name.text, node.body);
      } else if (ts.isVariableStatement(node)) {
        for (const declaration of node.declarationList.declarations)
          if (ts.isIdentifier(declaration.name) && declaration.initializer) record(declaration.name.text, declaration.initializer);
      }
    });
  }
  return graph;
}

function codesOf(graph: CallGraph, name: string, seen = new Set<string>()): Set<string> {
  const codes = new Set<string>();
  if (seen.has(name)) return codes;
  seen.add(name);
  for (const constructed of graph.constructs.get(name) ?? []) {
    const code = graph.errorCodes.get(constructed);
    if (code) codes.add(code);
  }
  for (const called of graph.calls.get(name) ?? []) if (graph.calls.has(called)) for (const code of codesOf(graph, called, seen)) codes.add(code);
  return codes;
}

describe('OpenAPI: problem codes per command, derived from the domain sources', () => {
  const graph = callGraph();

  it('lists for every command exactly the codes its decider can raise', () => {
    const drift: Record<string, { documented: readonly string[]; derived: string[] }> = {};
    for (const [command, documented] of Object.entries(COMMAND_PROBLEM_CODES)) {
      const handler = graph.handlers.get(command);
      const derived = handler ? [...codesOf(graph, handler)].sort() : [];
      if (!handler || JSON.stringify(derived) !== JSON.stringify([...documented].sort())) drift[command] = { documented, derived };
    }
    expect(drift).toEqual({});
  });

  it('covers every command of the family, sub-project and rule-set deciders', () => {
    // decideFamily hands each command to decideFamilyCommand, then adds the family decision's follow-ups.
    const deciderCommands = ['decideFamilyCommand', 'decideSubProject', 'decideRuleSet'].flatMap((decider) =>
      [...graph.handlers].filter(([, handler]) => handler === decider || graph.calls.get(decider)?.has(handler)).map(([command]) => command),
    );
    expect(deciderCommands.length).toBeGreaterThan(30);
    expect(deciderCommands.filter((command) => !(command in COMMAND_PROBLEM_CODES))).toEqual([]);
  });

  it('maps every listed code to the status its error class answers with', () => {
    const codes = [...new Set(Object.values(COMMAND_PROBLEM_CODES).flat())];
    expect(codes.map((code) => [code, statusOfCode(code)]).filter(([, status]) => ![403, 404, 409, 422].includes(status as number))).toEqual([]);
  });
});
