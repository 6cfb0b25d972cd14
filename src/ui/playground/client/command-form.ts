/**
 * The command box: one slash command's options as a form, the way Discord's box asks for them.
 * Required options come first; choices and channels are menus; an autocompleted option asks the
 * bot for choices as the person types, shows a choice's name and sends its value. Running checks
 * what Discord's client would check (required options, number ranges) before anything is sent.
 * Each option's field is built and read in option-fields.ts, its autocomplete in autocomplete-field.ts.
 */
import { errorText, make, uid } from './dom.ts';
import { addOption, buildField, SUBCOMMAND, type Field, type OptionDef } from './option-fields.ts';
import type { APIApplicationCommand, Choice, ComposerContext, OptionValues } from './types.ts';

/** What the command box asks of the composer around it. */
export interface CommandFormHooks {
  /** Shows a message in the composer's error line; null clears it. */
  error(text: string | null): void;
  /** The command ran, or the person cancelled: back to the message box. */
  close(): void;
}

/** A command box, as the composer holds it. */
export interface CommandForm {
  readonly element: HTMLFormElement;
  focus(): void;
  /** Puts text typed after `/name ` into the first text field. */
  prefill(text: string): void;
  destroy(): void;
}

/** Builds the command box for a command: its subcommand menu, one field per option, and Run. */
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
      // A file is sent when the command runs, not with every keystroke of an autocomplete.
      if (field.option.name !== except && read.ok && read.value !== undefined && typeof read.value !== 'object') out[field.option.name] = read.value;
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
    // A file input's value cannot be set (only cleared): a picked file is picked again.
    for (const field of fields) if (field.control.type !== 'file') field.control.value = before.get(field.option.name) ?? field.control.value;
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
