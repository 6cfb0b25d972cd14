/**
 * Discord's message box at the bottom of a channel, which is also its slash-command box. Text is
 * posted as the member; `/` opens the list of the guild's commands, and picking one (or typing
 * `/name `) turns the box into that command's form (command-form.ts) until it runs or is cancelled.
 */
import { createCommandForm, type CommandForm } from './command-form.ts';
import { errorText } from './dom.ts';
import type { APIApplicationCommand, ComposerContext } from './types.ts';

export interface Composer {
  focus(): void;
  setChannelName(name: string): void;
}

/** Discord's chat-input command type; user and message commands live in menus, not the box. */
const CHAT_INPUT = 1;

export function createComposer(root: HTMLElement, ctx: ComposerContext): Composer {
  const frame = document.createElement('div');
  frame.className = 'composer';
  const suggestions = document.createElement('ul');
  suggestions.className = 'command-suggestions';
  suggestions.id = 'composer-suggestions';
  suggestions.setAttribute('role', 'listbox');
  suggestions.setAttribute('aria-label', 'Commands');
  const error = document.createElement('p');
  error.className = 'composer-error';
  error.id = 'composer-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const box = document.createElement('div');
  box.className = 'composer-box';
  const input = document.createElement('textarea');
  input.id = 'composer-input';
  input.rows = 1;
  input.placeholder = 'Message';
  input.setAttribute('aria-label', 'Message');
  // A textarea may not be a combobox; it still tells what its list does (aria-expanded is on the list).
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', suggestions.id);
  input.setAttribute('aria-describedby', error.id);
  box.append(input);
  frame.append(suggestions, error, box);
  root.replaceChildren(frame);

  let form: CommandForm | null = null;
  let matches: APIApplicationCommand[] = [];
  let active = 0;
  let sending = false;

  const showError = (text: string | null): void => {
    error.textContent = text ?? '';
    error.hidden = text === null;
  };

  const commands = (): readonly APIApplicationCommand[] => {
    try {
      return ctx.commands().filter((c) => Number(c.type ?? CHAT_INPUT) === CHAT_INPUT);
    } catch {
      return []; // the guild has not loaded yet
    }
  };
  const find = (name: string): APIApplicationCommand | undefined => commands().find((c) => c.name === name.toLowerCase());

  /** The box grows with its text, up to the height the stylesheet allows. */
  const grow = (): void => {
    input.style.height = 'auto';
    input.style.height = `${input.scrollHeight}px`;
  };

  const expand = (open: boolean): void => {
    suggestions.hidden = !open;
    suggestions.setAttribute('aria-expanded', String(open));
    if (!open) matches = [];
    highlight();
  };
  const highlight = (): void => {
    [...suggestions.children].forEach((li, i) => li.setAttribute('aria-selected', String(matches.length > 0 && i === active)));
    const current = matches.length > 0 ? suggestions.children[active] : undefined;
    if (current) {
      input.setAttribute('aria-activedescendant', current.id);
      current.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const suggest = (typed: string): void => {
    matches = commands().filter((c) => c.name.startsWith(typed.toLowerCase()));
    active = 0;
    const items = matches.map((command) => {
      const li = document.createElement('li');
      li.id = `composer-command-${command.name}`;
      li.dataset.command = command.name;
      li.setAttribute('role', 'option');
      const name = document.createElement('span');
      name.className = 'command-name';
      name.textContent = `/${command.name}`;
      const description = document.createElement('span');
      description.className = 'command-description';
      description.textContent = command.description;
      li.append(name, description);
      return li;
    });
    if (items.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'command-suggestions-empty';
      empty.setAttribute('role', 'option');
      empty.setAttribute('aria-disabled', 'true');
      empty.textContent = `No command starts with /${typed}`;
      items.push(empty);
    }
    suggestions.replaceChildren(...items);
    expand(true);
  };

  const openForm = (command: APIApplicationCommand, rest = ''): void => {
    expand(false);
    showError(null);
    form?.destroy();
    form?.element.remove();
    form = createCommandForm(command, ctx, { error: showError, close: closeForm });
    box.hidden = true;
    frame.append(form.element);
    form.prefill(rest);
    form.focus();
  };
  function closeForm(): void {
    form?.destroy();
    form?.element.remove();
    form = null;
    showError(null);
    input.value = '';
    box.hidden = false;
    grow();
    input.focus();
  }

  /** Follows what is typed: `/` and a name prefix list the commands, `/name ` opens one. */
  const follow = (): void => {
    const slash = /^\/(\S*)(\s[\s\S]*)?$/.exec(input.value);
    if (!slash) return expand(false);
    const [, typed = '', rest] = slash;
    if (rest === undefined) return suggest(typed);
    const command = find(typed);
    if (command) openForm(command, rest.trim());
    else expand(false);
  };

  const send = async (): Promise<void> => {
    const text = input.value;
    if (sending || text.trim() === '') return;
    if (text.startsWith('/')) {
      const name = /^\/(\S*)/.exec(text)?.[1] ?? '';
      const command = find(name);
      if (command) openForm(command, text.slice(name.length + 1).trim());
      else showError(`There is no command /${name}. Type / to see the commands.`);
      return;
    }
    sending = true;
    input.disabled = true;
    box.setAttribute('aria-busy', 'true');
    showError(null);
    try {
      await ctx.post(text);
      input.value = '';
      grow();
    } catch (failure) {
      showError(errorText(failure));
    } finally {
      sending = false;
      input.disabled = false;
      box.removeAttribute('aria-busy');
      input.focus();
    }
  };

  input.addEventListener('input', () => {
    showError(null);
    grow();
    follow();
  });
  input.addEventListener('blur', () => expand(false));
  input.addEventListener('focus', follow);
  input.addEventListener('keydown', (event) => {
    if (event.isComposing) return;
    if (!suggestions.hidden && matches.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        active = (active + (event.key === 'ArrowDown' ? 1 : -1) + matches.length) % matches.length;
        return highlight();
      }
      if ((event.key === 'Enter' && !event.shiftKey) || event.key === 'Tab') {
        event.preventDefault();
        const command = matches[active];
        if (command) openForm(command);
        return;
      }
    }
    if (event.key === 'Escape' && !suggestions.hidden) {
      event.preventDefault();
      expand(false);
    } else if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void send();
    }
  });
  // Keep the focus in the box, so a click on a command is not a blur that closes the list first.
  suggestions.addEventListener('mousedown', (event) => event.preventDefault());
  suggestions.addEventListener('click', (event) => {
    const li = (event.target as Element).closest<HTMLElement>('li[data-command]');
    const command = li?.dataset.command === undefined ? undefined : find(li.dataset.command);
    if (command) openForm(command);
  });
  expand(false);

  return {
    focus: () => (form ? form.focus() : input.focus()),
    setChannelName: (name) => {
      input.placeholder = `Message #${name}`;
      input.setAttribute('aria-label', `Message #${name}`);
    },
  };
}
