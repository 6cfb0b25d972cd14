/**
 * One field of the command box per option: a menu for choices, true/false and channels, a number
 * input for numbers, a file input for attachments, a text input otherwise (with autocomplete when
 * the option has it), and how each field's value is read and checked the way Discord's client
 * checks it before sending.
 */
import { autocomplete, type Completion } from './autocomplete-field.ts';
import { make, uid } from './dom.ts';
import type { Choice, ComposerContext, FileValue } from './types.ts';

// Discord's option types, as numbers: the page bundles none of discord-api-types' runtime.
/** Discord's option type for a subcommand. */
export const SUBCOMMAND = 1;
const INTEGER = 4;
const BOOLEAN = 5;
const CHANNEL = 7;
const NUMBER = 10;
const ATTACHMENT = 11;
/** The playground sends files through its own server as JSON; Discord's client would take up to 10 MiB. */
export const PLAYGROUND_FILE_MAX = 2 * 1024 * 1024;

/** What the form reads of a registered option (a structural view of discord-api-types' option union). */
export interface OptionDef {
  readonly type: number;
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  readonly autocomplete?: boolean;
  readonly choices?: readonly Choice[];
  readonly min_value?: number;
  readonly max_value?: number;
  readonly min_length?: number;
  readonly max_length?: number;
  readonly channel_types?: readonly number[];
  readonly options?: readonly OptionDef[];
}

type Value = string | number | boolean | FileValue;
/** A field's value: undefined when left empty, or why it cannot be sent. */
export type Read = { readonly ok: true; readonly value: Value | undefined } | { readonly ok: false; readonly problem: string };

/** One option's field in the form: its element, its control, and how to read its value. */
export interface Field {
  readonly option: OptionDef;
  readonly element: HTMLElement;
  readonly control: HTMLInputElement | HTMLSelectElement;
  read(): Read;
  destroy(): void;
}

/** Adds an `<option>` with this value and label to a menu. */
export function addOption(select: HTMLSelectElement, value: string, label: string): void {
  const option = make('option', undefined, label);
  option.value = value;
  select.append(option);
}

const isNumeric = (option: OptionDef): boolean => option.type === INTEGER || option.type === NUMBER;

/** A typed number checked as Discord's client does: whole for integers, within min and max. */
function readNumber(option: OptionDef, text: string): Read {
  const n = Number(text);
  const kind = option.type === INTEGER ? 'a whole number' : 'a number';
  if (!Number.isFinite(n) || (option.type === INTEGER && !Number.isInteger(n))) return { ok: false, problem: `${option.name} must be ${kind}` };
  if (option.min_value !== undefined && n < option.min_value) return { ok: false, problem: `${option.name} must be at least ${option.min_value}` };
  if (option.max_value !== undefined && n > option.max_value) return { ok: false, problem: `${option.name} must be at most ${option.max_value}` };
  return { ok: true, value: n };
}

/** A menu: choices, true/false, or the guild's channels. */
function selectControl(option: OptionDef, ctx: ComposerContext): HTMLSelectElement {
  const select = make('select');
  addOption(select, '', option.required ? 'Choose…' : '(default)');
  if (option.type === BOOLEAN) {
    addOption(select, 'true', 'true');
    addOption(select, 'false', 'false');
  } else if (option.type === CHANNEL) {
    const types = option.channel_types;
    for (const channel of ctx.channels()) if (!types?.length || types.includes(channel.type)) addOption(select, channel.id, channel.name);
  } else {
    for (const choice of option.choices ?? []) addOption(select, String(choice.value), choice.name);
  }
  return select;
}

function readSelect(option: OptionDef, select: HTMLSelectElement): Read {
  const value = select.value;
  if (value === '') return { ok: true, value: undefined };
  if (option.type === BOOLEAN) return { ok: true, value: value === 'true' };
  return { ok: true, value: isNumeric(option) ? Number(value) : value };
}

function readInput(option: OptionDef, input: HTMLInputElement, picked: Choice | null): Read {
  if (picked && input.value === picked.name) return { ok: true, value: picked.value };
  if (input.validity.badInput) return { ok: false, problem: `${option.name} must be ${option.type === INTEGER ? 'a whole number' : 'a number'}` };
  const text = input.value.trim();
  if (text === '') return { ok: true, value: undefined };
  if (isNumeric(option)) return readNumber(option, text);
  if (option.min_length !== undefined && text.length < option.min_length)
    return { ok: false, problem: `${option.name} needs at least ${option.min_length} characters` };
  return { ok: true, value: text };
}

/**
 * A file input: the picked file is read (as base64, for JSON) as soon as it is picked, so that
 * reading the field stays synchronous; too large a file is refused as Discord's client refuses one.
 */
function fileControl(option: OptionDef, control: HTMLInputElement): () => Read {
  control.type = 'file';
  let state: Read = { ok: true, value: undefined };
  control.addEventListener('change', () => {
    const file = control.files?.[0];
    if (!file) return void (state = { ok: true, value: undefined });
    if (file.size > PLAYGROUND_FILE_MAX) return void (state = { ok: false, problem: `${option.name}: the playground takes files up to 2 MB` });
    state = { ok: false, problem: `${option.name}: still reading the file` };
    const reader = new FileReader();
    reader.addEventListener('load', () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      state = { ok: true, value: { filename: file.name, data: url.slice(url.indexOf(',') + 1) } };
    });
    reader.addEventListener('error', () => void (state = { ok: false, problem: `${option.name}: the file could not be read` }));
    reader.readAsDataURL(file);
  });
  return () => state;
}

/** One labelled field for an option: its name (with * when required), its control, its description. */
export function buildField(option: OptionDef, ctx: ComposerContext, ask: (option: OptionDef, typed: string) => Promise<Choice[]>): Field {
  const element = make('div', 'command-field');
  element.dataset.option = option.name;
  const id = uid(`option-${option.name}`);
  const label = make('label', 'field-label', option.name);
  label.htmlFor = id;
  if (option.required) label.append(make('span', 'required-mark', '*'));
  const hint = make('small', 'field-hint', option.description);
  hint.id = `${id}-hint`;
  const menu = option.type === BOOLEAN || option.type === CHANNEL || (option.choices?.length ?? 0) > 0;
  const control = menu ? selectControl(option, ctx) : make('input');
  control.id = id;
  control.name = option.name;
  control.required = option.required === true;
  control.setAttribute('aria-describedby', `${hint.id} composer-error`);
  element.append(label, control);
  let completion: Completion | undefined;
  const readFile = control instanceof HTMLInputElement && option.type === ATTACHMENT ? fileControl(option, control) : undefined;
  if (readFile) element.append(hint);
  else if (control instanceof HTMLInputElement) {
    control.type = isNumeric(option) && !option.autocomplete ? 'number' : 'text';
    if (control.type === 'number') {
      control.step = option.type === INTEGER ? '1' : 'any';
      if (option.min_value !== undefined) control.min = String(option.min_value);
      if (option.max_value !== undefined) control.max = String(option.max_value);
    } else {
      if (option.max_length !== undefined) control.maxLength = option.max_length;
      if (isNumeric(option)) control.inputMode = 'decimal';
    }
    if (option.autocomplete) {
      const list = make('ul', 'autocomplete-choices');
      list.id = `${id}-choices`;
      list.setAttribute('aria-label', `Choices for ${option.name}`);
      const note = make('small', 'autocomplete-error');
      note.hidden = true;
      element.append(list);
      completion = autocomplete(control, list, note, (typed) => ask(option, typed));
      element.append(hint, note);
    } else element.append(hint);
  } else element.append(hint);
  const clear = (): void => {
    control.removeAttribute('aria-invalid');
    element.classList.remove('field-invalid');
  };
  control.addEventListener('input', clear);
  control.addEventListener('change', clear);
  return {
    option,
    element,
    control,
    read: () =>
      readFile ? readFile() : control instanceof HTMLSelectElement ? readSelect(option, control) : readInput(option, control, completion?.picked() ?? null),
    destroy: () => completion?.destroy(),
  };
}
