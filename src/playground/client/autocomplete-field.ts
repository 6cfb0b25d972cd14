/**
 * Discord's autocomplete on a text input: the list of choices under it, the pause before asking,
 * dropping answers that arrive out of order, and the keys that move through and pick a choice.
 */
import { errorText, make, uid } from './dom.ts';
import type { Choice } from './types.ts';

const AUTOCOMPLETE_DELAY_MS = 150;
/** An input's autocomplete, once wired up. */
export interface Completion {
  /** The choice picked, while the input still shows its name; null otherwise. */
  picked(): Choice | null;
  /** Stops asking and drops answers still on their way (the field is going away). */
  destroy(): void;
}

/**
 * Discord's autocomplete on a text input: asks for choices as the person types (after a pause) and
 * when the field gets focus; an answer older than the one shown is dropped. Returns the choice
 * picked, while the input still shows its name.
 */
export function autocomplete(input: HTMLInputElement, list: HTMLUListElement, note: HTMLElement, ask: (typed: string) => Promise<Choice[]>): Completion {
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
