/**
 * The `inputs` context of `workflow_dispatch` and `workflow_call`: each input typed as declared
 * (a boolean input is a boolean), defaults applied, required ones checked, and, for a call, values
 * of the wrong type refused in GitHub's words ("Unexpected type of value …, expected type: Boolean").
 */

import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import {
  isBoolean,
  isMapping,
  isSequence,
  isString,
} from '@actions/workflow-parser/templates/tokens/type-guards';
import { type ContextValue, evaluateToken, type Scope, where } from '@gatehouse/runner-harness';
import { field, mappingField } from './load-workflow';

export interface InputDefinition {
  name: string;
  type: 'string' | 'boolean' | 'number' | 'choice' | 'environment';
  required: boolean;
  default?: TemplateToken;
  options?: string[];
}

/** The inputs a workflow declares under `on.<event>.inputs`. */
export function inputDefinitions(
  root: MappingToken,
  event: 'workflow_dispatch' | 'workflow_call',
): InputDefinition[] {
  const on = field(root, 'on');
  const inputs = on && isMapping(on) ? mappingField(mappingField(on, event), 'inputs') : undefined;
  if (!inputs) return [];
  return [...inputs].map(({ key, value }) => {
    const spec = isMapping(value) ? value : undefined;
    const type = field(spec, 'type');
    const required = field(spec, 'required');
    const options = field(spec, 'options');
    return {
      name: String(key),
      type: (type && isString(type) ? type.value : 'string') as InputDefinition['type'],
      required: !!required && isBoolean(required) && required.value,
      default: field(spec, 'default'),
      options: options && isSequence(options) ? [...options].map(String) : undefined,
    };
  });
}

const EMPTY: Record<InputDefinition['type'], ContextValue> = {
  string: '',
  choice: '',
  environment: '',
  boolean: false,
  number: 0,
};

/** GitHub's check of a value passed to a typed `workflow_call` input. */
function typed(definition: InputDefinition, value: ContextValue, at: string): ContextValue {
  const shown = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (definition.type === 'boolean' || definition.type === 'number') {
    if (typeof value !== definition.type) {
      const expected = definition.type === 'boolean' ? 'Boolean' : 'Number';
      throw new Error(`${at}: Unexpected type of value '${shown}', expected type: ${expected}.`);
    }
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    throw new Error(`${at}: Unexpected type of value '${shown}', expected type: String.`);
  }
  return shown;
}

/** `inputs` of a called workflow from the caller's evaluated `with:` (tokens kept for positions). */
export function callInputs(
  definitions: readonly InputDefinition[],
  given: ReadonlyMap<string, { value: ContextValue; token: TemplateToken }>,
  defaultScope: Scope,
  caller: string,
): Record<string, ContextValue> {
  const inputs: Record<string, ContextValue> = {};
  for (const definition of definitions) {
    const passed = [...given.entries()].find(
      ([name]) => name.toLowerCase() === definition.name.toLowerCase(),
    );
    if (passed) {
      inputs[definition.name] = typed(definition, passed[1].value, `${caller} ${where(passed[1].token)}`);
    } else if (definition.required) {
      throw new Error(`${caller}: Input ${definition.name} is required, but not provided while calling.`);
    } else if (definition.default) {
      const value = evaluateToken(definition.default, defaultScope);
      inputs[definition.name] = typed(definition, value, `default of input '${definition.name}'`);
    } else {
      inputs[definition.name] = EMPTY[definition.type];
    }
  }
  return inputs;
}

/**
 * `inputs` of a dispatched run, from the strings the person or the API gave. Also returns the
 * payload's `inputs` (strings, defaults filled in), as GitHub sends them.
 */
export function dispatchInputs(
  definitions: readonly InputDefinition[],
  given: Readonly<Record<string, unknown>>,
  defaultScope: Scope,
): { inputs: Record<string, ContextValue>; payload: Record<string, string> } {
  const unknown = Object.keys(given).filter((name) => !definitions.some((d) => d.name === name));
  if (unknown.length > 0) throw new Error(`Unexpected inputs provided: ${JSON.stringify(unknown)}`);
  const inputs: Record<string, ContextValue> = {};
  const payload: Record<string, string> = {};
  for (const definition of definitions) {
    let text: string | undefined =
      given[definition.name] === undefined ? undefined : String(given[definition.name]);
    if (text === undefined && definition.default) {
      const value = evaluateToken(definition.default, defaultScope);
      text = value === null ? '' : String(value);
    }
    if (text === undefined || (definition.required && text === '')) {
      if (definition.required) throw new Error(`Required input '${definition.name}' not provided`);
      inputs[definition.name] = EMPTY[definition.type];
      continue;
    }
    payload[definition.name] = text;
    if (definition.type === 'boolean') {
      if (text !== 'true' && text !== 'false')
        throw new Error(`Input '${definition.name}' must be true or false.`);
      inputs[definition.name] = text === 'true';
    } else if (definition.type === 'number') {
      if (text.trim() === '' || Number.isNaN(Number(text)))
        throw new Error(`Input '${definition.name}' must be a number.`);
      inputs[definition.name] = Number(text);
    } else {
      if (definition.type === 'choice' && !definition.options?.includes(text)) {
        throw new Error(
          `Provided value '${text}' for input '${definition.name}' not in the list of allowed values: ${JSON.stringify(definition.options ?? [])}`,
        );
      }
      inputs[definition.name] = text;
    }
  }
  return { inputs, payload };
}
