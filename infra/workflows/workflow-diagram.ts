import type { AslDefinition } from './render-definition';

type State = Record<string, unknown> & {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Catch?: { ErrorEquals: string[]; Next: string }[];
  ItemProcessor?: { StartAt: string; States: Record<string, State> };
  TimeoutSeconds?: number;
  HeartbeatSeconds?: number;
};

// Mermaid reads `;` as a statement separator, so labels use commas only.

/** Short edge labels for the errors the definition catches. */
function errorLabel(errors: string[]): string {
  if (errors.includes('States.Timeout') || errors.includes('States.HeartbeatTimeout')) return 'timeout / no heartbeat';
  if (errors.includes('States.ALL')) return 'failed';
  return errors.join(', ');
}

function stepOf(state: State): string | undefined {
  const params = state.Parameters as { Payload?: { step?: string } } | undefined;
  return params?.Payload?.step;
}

/** One graph level (the top level, or a Map's item processor) as Mermaid lines. */
function graphLines(graph: { StartAt: string; States: Record<string, State> }, indent: string): string[] {
  const lines = [`${indent}[*] --> ${graph.StartAt}`];
  const notes: string[] = [];
  for (const [name, state] of Object.entries(graph.States)) {
    if (state.ItemProcessor) {
      lines.push(`${indent}state ${name} {`, ...graphLines(state.ItemProcessor, `${indent}  `), `${indent}}`);
    }
    const step = stepOf(state);
    if (step) {
      const callback = state.Resource?.endsWith('.waitForTaskToken');
      const limits = callback
        ? `timeout ${state.TimeoutSeconds} s, heartbeat ${state.HeartbeatSeconds} s`
        : `timeout ${state.TimeoutSeconds} s`;
      notes.push(`${indent}${name}: ${name} (${callback ? 'callback, ' : ''}step ${step}, ${limits})`);
    }
    if (state.Next) lines.push(`${indent}${name} --> ${state.Next}`);
    for (const c of state.Catch ?? []) lines.push(`${indent}${name} --> ${c.Next}: ${errorLabel(c.ErrorEquals)}`);
    if (state.End || state.Type === 'Succeed' || state.Type === 'Fail') lines.push(`${indent}${name} --> [*]`);
  }
  return [...notes, ...lines];
}

/** A Mermaid state diagram of an ASL definition, generated so that the picture cannot drift from the definition. */
export function workflowDiagram(definition: AslDefinition): string {
  return ['```mermaid', 'stateDiagram-v2', ...graphLines(definition as never, '  '), '```'].join('\n');
}
