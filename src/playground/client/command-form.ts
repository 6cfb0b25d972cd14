/**
 * The command box: one slash command's options as a form, the way Discord's box asks for them.
 * Required options come first; choices and channels are menus; an autocompleted option asks the
 * bot for choices as the person types, shows a choice's name and sends its value. Running checks
 * what Discord's client would check (required options, number ranges) before anything is sent.
 */
import type { APIApplicationCommand, Choice, ComposerContext, OptionValues } from './types.ts';

// Discord's option types, as numbers: the page bundles none of discord-api-types' runtime.
const SUBCOMMAND = 1;
const INTEGER = 4;
const BOOLEAN = 5;
const CHANNEL = 7;
const NUMBER = 10;

/** What the form reads of a registered option (a structural view of discord-api-types' option union). */
interface OptionDef {
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

type Value = string | number | boolean;
/** A field's value: undefined when left empty, or why it cannot be sent. */
type Read = { readonly ok: true; readonly value: Value | undefined } | { readonly ok: false; readonly problem: string };

interface Field {
  readonly option: OptionDef;
  readonly element: HTMLElement;
  readonly control: HTMLInputElement | HTMLSelectElement;
  read(): Read;
  destroy(): void;
}

export interface CommandFormHooks {
  /** Shows a message in the composer's error line; null clears it. */
  error(text: string | null): void;
  /** The command ran, or the person cancelled: back to the message box. */
  close(): void;
}

export interface CommandForm {
  readonly element: HTMLFormElement;
  focus(): void;
  /** Puts text typed after `/name ` into the first text field. */
  prefill(text: string): void;
  destroy(): void;
}

const AUTOCOMPLETE_DELAY_MS = 150;
let ids = 0;
const uid = (what: string): string => `composer-${what}-${++ids}`;

function make<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function addOption(select: HTMLSelectElement, value: string, label: string): void {
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
  if (option.min_length !== undefined && text.length < option.min_length) return { ok: false, problem: `${option.name} needs at least ${option.min_length} characters` };
  return { ok: true, value: text };
}

/**
 * Discord's autocomplete on a text input: asks for choices as the person types (after a pause) and
 * when the field gets focus; an answer older than the one shown is dropped. Returns the choice
 * picked, while the input still shows its name.
 */
function autocomplete(input: HTMLInputElement, list: HTMLUListElement, note: HTMLElement, ask: (typed: string) => Promise<Choice[]>): { picked(): Choice | null; destroy(): void } {
  let picked: Choice | null = null;
  let choices: Choice[] = [];
  let active = -1;
  let timer: number | undefined;
  let asked = 0;
  let shown = 0;
  let gone = false;
  input.autocomplete = 'off';
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', list.id);
  list.setAttribute('role', 'listbox');

  const expand = (open: boolean): void => {
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
    list.setAttribute('aria-expanded', String(open));
    if (!open) active = -1;
    highlight();
  };
  const highlight = (): void => {
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === active)));
    const current = list.children[active];
    if (current) {
      input.setAttribute('aria-activedescendant', current.id);
      current.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const render = (): void => {
    active = -1;
    const items = choices.map((choice) => {
      const li = make('li', 'autocomplete-choice', choice.name);
      li.id = uid('choice');
      li.setAttribute('role', 'option');
      li.dataset.value = String(choice.value);
      return li;
    });
    if (items.length === 0) {
      const empty = make('li', 'autocomplete-empty', 'No choices match; what you typed is sent as it is.');
      empty.setAttribute('role', 'option');
      empty.setAttribute('aria-disabled', 'true');
      items.push(empty);
    }
    list.replaceChildren(...items);
    expand(true);
  };
  const pick = (choice: Choice): void => {
    // Answers still on their way were for what was typed before the pick.
    window.clearTimeout(timer);
    shown = asked;
    picked = choice;
    input.value = choice.name;
    expand(false);
  };
  const request = async (): Promise<void> => {
    const ticket = ++asked;
    try {
      const answer = await ask(input.value);
      if (gone || ticket <= shown) return;
      shown = ticket;
      note.hidden = true;
      choices = answer;
      if (document.activeElement === input) render();
    } catch (error) {
      if (gone || ticket <= shown) return;
      shown = ticket;
      note.textContent = `Choices unavailable: ${errorText(error)}`;
      note.hidden = false;
      expand(false);
    }
  };
  const later = (): void => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void request(), AUTOCOMPLETE_DELAY_MS);
  };

  input.addEventListener('input', () => {
    picked = null;
    later();
  });
  input.addEventListener('focus', () => void request());
  input.addEventListener('blur', () => {
    window.clearTimeout(timer);
    expand(false);
  });
  input.addEventListener('keydown', (event) => {
    const open = !list.hidden && choices.length > 0;
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && !event.altKey) {
      event.preventDefault();
      if (!open) return void request();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      active = active < 0 && step < 0 ? choices.length - 1 : (active + step + choices.length) % choices.length;
      highlight();
    } else if (event.key === 'Enter' && open && active >= 0 && !event.isComposing) {
      event.preventDefault();
      const choice = choices[active];
      if (choice) pick(choice);
    } else if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault();
      expand(false);
    } else if (event.key === 'Enter' || event.key === 'Tab') expand(false);
  });
  // Keep the focus in the input, so a click on a choice is not a blur that closes the list first.
  list.addEventListener('mousedown', (event) => event.preventDefault());
  list.addEventListener('click', (event) => {
    const li = (event.target as Element).closest('li[data-value]');
    const choice = li ? choices[[...list.children].indexOf(li)] : undefined;
    if (choice) pick(choice);
  });
  expand(false);
  return {
    picked: () => picked,
    destroy: () => {
      gone = true;
      window.clearTimeout(timer);
    },
  };
}

/** One labelled field for an option: its name (with * when required), its control, its description. */
function buildField(option: OptionDef, ctx: ComposerContext, ask: (option: OptionDef, typed: string) => Promise<Choice[]>): Field {
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
  let completion: ReturnType<typeof autocomplete> | undefined;
  if (control instanceof HTMLInputElement) {
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
    read: () => (control instanceof HTMLSelectElement ? readSelect(option, control) : readInput(option, control, completion?.picked() ?? null)),
    destroy: () => completion?.destroy(),
  };
}

export function createCommandForm(command: APIApplicationCommand, ctx: ComposerContext, hooks: CommandFormHooks): CommandForm {
  const top: readonly OptionDef[] = command.options ?? [];
  const subcommands = top.filter((o) => o.type === SUBCOMMAND);
  const form = make('form', 'command-form');
  form.dataset.command = command.name;
  form.noValidate = true;
  form.setAttribute('aria-label', `/${command.name} command`);
  const body = make('fieldset', 'command-body');
  const header = make('div', 'command-header');
  const cancel = make('button', 'cancel-command', '×');
  cancel.type = 'button';
  cancel.title = 'Cancel (Esc)';
  cancel.setAttribute('aria-label', `Cancel /${command.name}`);
  header.append(make('span', 'command-chip', `/${command.name}`), make('span', 'command-description', command.description), cancel);
  const fieldsBox = make('div', 'command-fields');
  const run = make('button', 'run-command', 'Run');
  run.type = 'submit';
  const actions = make('div', 'command-actions');
  actions.append(make('span', 'command-keys', 'Enter to run · Esc to cancel'), run);

  let subcommand: HTMLSelectElement | undefined;
  let fields: Field[] = [];
  let running = false;

  const ask = (option: OptionDef, typed: string): Promise<Choice[]> =>
    ctx.autocomplete({ name: command.name, ...chosen(), options: { ...values(option.name), [option.name]: typed }, focused: option.name });
  const chosen = (): { subcommand?: string } => (subcommand ? { subcommand: subcommand.value } : {});
  /** The other fields' values that can be sent, for the bot to narrow an autocomplete with. */
  const values = (except: string): OptionValues => {
    const out: OptionValues = {};
    for (const field of fields) {
      const read = field.read();
      if (field.option.name !== except && read.ok && read.value !== undefined) out[field.option.name] = read.value;
    }
    return out;
  };
  const drawFields = (): void => {
    const before = new Map(fields.map((f) => [f.option.name, f.control.value]));
    fields.forEach((f) => f.destroy());
    const chosenOptions = subcommand ? (subcommands.find((s) => s.name === subcommand?.value)?.options ?? []) : top;
    // Subcommand groups are not offered (no command of the bot has one).
    const leaf = chosenOptions.filter((o) => o.type > 2);
    // Required options first, as Discord asks for them; otherwise in their registered order.
    const ordered = [...leaf.filter((o) => o.required), ...leaf.filter((o) => !o.required)];
    fields = ordered.map((option) => buildField(option, ctx, ask));
    for (const field of fields) field.control.value = before.get(field.option.name) ?? field.control.value;
    fieldsBox.replaceChildren(...fields.map((f) => f.element));
    if (fields.length === 0) fieldsBox.append(make('p', 'command-no-options', 'No options: press Enter or Run.'));
  };

  body.append(header);
  if (subcommands.length > 0) {
    const row = make('div', 'command-field command-subcommand');
    const select = make('select');
    select.id = uid('subcommand');
    select.name = 'subcommand';
    for (const s of subcommands) addOption(select, s.name, s.name);
    const label = make('label', 'field-label', 'subcommand');
    label.htmlFor = select.id;
    const hint = make('small', 'field-hint', subcommands[0]?.description ?? '');
    hint.id = `${select.id}-hint`;
    select.setAttribute('aria-describedby', hint.id);
    select.addEventListener('change', () => {
      hint.textContent = subcommands.find((s) => s.name === select.value)?.description ?? '';
      drawFields();
    });
    row.append(label, select, hint);
    body.append(row);
    subcommand = select;
  }
  body.append(fieldsBox, actions);
  form.append(body);
  drawFields();

  const execute = async (): Promise<void> => {
    if (running) return;
    const options: OptionValues = {};
    let first: Field | undefined;
    let problem = '';
    for (const field of fields) {
      const read = field.read();
      const missing = read.ok && read.value === undefined && field.option.required === true;
      if (read.ok && read.value !== undefined) options[field.option.name] = read.value;
      if (read.ok && !missing) continue;
      field.control.setAttribute('aria-invalid', 'true');
      field.element.classList.add('field-invalid');
      if (!first) [first, problem] = [field, read.ok ? `Fill in ${field.option.name}` : read.problem];
    }
    if (first) {
      hooks.error(problem);
      first.control.focus();
      return;
    }
    running = true;
    body.disabled = true;
    form.setAttribute('aria-busy', 'true');
    hooks.error(null);
    try {
      await ctx.run({ name: command.name, ...chosen(), options });
    } catch (error) {
      running = false;
      body.disabled = false;
      form.removeAttribute('aria-busy');
      hooks.error(errorText(error));
      run.focus();
      return;
    }
    hooks.close();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void execute();
  });
  form.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      hooks.close();
    } else if (event.key === 'Enter' && event.target instanceof HTMLSelectElement) {
      // A menu does not submit its form on Enter by itself; Discord's box runs the command.
      event.preventDefault();
      form.requestSubmit();
    }
  });
  cancel.addEventListener('click', () => hooks.close());

  return {
    element: form,
    focus: () => (subcommand ?? fields[0]?.control ?? run).focus(),
    prefill: (text) => {
      const field = fields.find((f) => f.control instanceof HTMLInputElement && f.control.type === 'text');
      if (field && text) field.control.value = text;
    },
    destroy: () => fields.forEach((f) => f.destroy()),
  };
}
