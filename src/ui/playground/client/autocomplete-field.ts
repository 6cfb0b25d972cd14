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
 * when the field gets focus; an answer older than the one shown is dropped. As in Discord, one
 * choice is always highlighted (the first, or the one the pointer or arrows are on), and Enter or
 * Tab picks it: Enter sends the typed text only when no choice matches. Enter pressed before the
 * choices for what was typed have come picks from them when they come, or sends the text when they
 * are none. Returns the choice picked, while the input still shows its name.
 */
export function autocomplete(input: HTMLInputElement, list: HTMLUListElement, note: HTMLElement, ask: (typed: string) => Promise<Choice[]>): Completion {
  let picked: Choice | null = null;
  let choices: Choice[] = [];
  let active = -1;
  let timer: number | undefined;
  let asked = 0;
  let shown = 0;
  let gone = false;
  /** Whether the choices listed answer what the input holds now (false from a keystroke until the answer). */
  let fresh = false;
  /** Enter came before the answer for what was typed: pick from that answer when it comes. */
  let pickOnAnswer = false;
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
    // Discord highlights the first choice, so Enter right away takes it.
    active = choices.length > 0 ? 0 : -1;
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
    timer = undefined;
    pickOnAnswer = false;
    shown = asked;
    picked = choice;
    input.value = choice.name;
    expand(false);
  };
  const request = async (): Promise<void> => {
    timer = undefined;
    const ticket = ++asked;
    const typed = input.value;
    try {
      const answer = await ask(typed);
      if (gone || ticket <= shown) return;
      shown = ticket;
      note.hidden = true;
      choices = answer;
      fresh = typed === input.value;
      if (document.activeElement !== input) return;
      render();
      const first = choices[0];
      if (pickOnAnswer && fresh && ticket === asked) {
        pickOnAnswer = false;
        // No choice for what was typed: the Enter held for the answer sends the text, as it would have at once.
        if (first) pick(first);
        else input.form?.requestSubmit();
      }
    } catch (error) {
      if (gone || ticket <= shown) return;
      shown = ticket;
      pickOnAnswer = false;
      note.textContent = `Choices unavailable: ${errorText(error)}`;
      note.hidden = false;
      expand(false);
    }
  };
  const later = (): void => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void request(), AUTOCOMPLETE_DELAY_MS);
  };

  /** An answer for what the input holds is still to come (the pause after a keystroke, or the request). */
  const waiting = (): boolean => !fresh && (timer !== undefined || asked > shown);

  input.addEventListener('input', () => {
    picked = null;
    fresh = false;
    pickOnAnswer = false;
    later();
  });
  input.addEventListener('focus', () => void request());
  input.addEventListener('blur', () => {
    window.clearTimeout(timer);
    timer = undefined;
    pickOnAnswer = false;
    expand(false);
  });
  input.addEventListener('keydown', (event) => {
    if (event.isComposing) return;
    const open = !list.hidden && choices.length > 0;
    const highlighted = open && fresh ? choices[active] : undefined;
    if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && !event.altKey) {
      event.preventDefault();
      if (!open) return void request();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      active = active < 0 && step < 0 ? choices.length - 1 : (active + step + choices.length) % choices.length;
      highlight();
    } else if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && highlighted) {
      // Enter takes the highlighted choice and stays; a second Enter runs the command. Tab takes it and moves on.
      if (event.key === 'Enter') event.preventDefault();
      pick(highlighted);
    } else if (event.key === 'Enter' && input.value.trim() !== '' && waiting()) {
      // The choices listed (if any) were for what was typed before: wait for the ones for this text.
      event.preventDefault();
      pickOnAnswer = true;
      if (timer !== undefined) {
        window.clearTimeout(timer);
        void request();
      }
    } else if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault();
      expand(false);
    } else if (event.key === 'Enter' || event.key === 'Tab') expand(false);
  });
  // The pointer highlights what it is on, as the arrows do, so Enter picks what looks picked.
  list.addEventListener('mousemove', (event) => {
    const li = (event.target as Element).closest('li[data-value]');
    const at = li ? [...list.children].indexOf(li) : -1;
    if (at >= 0 && at !== active) {
      active = at;
      highlight();
    }
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
