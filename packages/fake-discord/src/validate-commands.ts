/**
 * Discord's rules for application command definitions: names, descriptions, options and choices.
 * Catching a bad definition here is what would otherwise fail at `deploy-commands` time.
 */
import { ApplicationCommandOptionType, ApplicationCommandType } from 'discord-api-types/v10';
import type { FormIssue } from './errors.ts';
import { FormChecker, isRecord } from './form-checker.ts';

const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}]{1,32}$/u;
const MAX_COMMANDS = 100;

/** Checks a bulk-overwrite body: an array of command definitions. */
export function checkCommandList(body: unknown): FormIssue[] {
  const check = new FormChecker();
  if (!Array.isArray(body)) {
    check.add([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    return check.issues;
  }
  check.count([], body, 0, MAX_COMMANDS);
  const seen = new Set<string>();
  body.forEach((command, i) => {
    check.issues.push(...checkCommand(command, [i]));
    if (isRecord(command)) {
      const key = JSON.stringify([command.type ?? ApplicationCommandType.ChatInput, command.name]);
      if (seen.has(key)) check.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
      seen.add(key);
    }
  });
  return check.issues;
}

/** Checks one command definition; `path` prefixes the issues (its index in a list). */
export function checkCommand(command: unknown, path: ReadonlyArray<string | number> = []): FormIssue[] {
  const check = new FormChecker(path);
  if (!isRecord(command)) {
    check.add([], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    return check.issues;
  }
  const type = command.type ?? ApplicationCommandType.ChatInput;
  if (type === ApplicationCommandType.ChatInput) {
    checkName(check, [], command.name);
    check.text(['description'], command.description, 1, 100, true);
    checkOptions(check, [], command.options, 0);
  } else if (type === ApplicationCommandType.User || type === ApplicationCommandType.Message) {
    check.text(['name'], command.name, 1, 32, true);
    if (typeof command.description === 'string' && command.description !== '') {
      check.add(['description'], 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', 'Context menu commands cannot have description');
    }
  } else {
    check.add(['type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4}.');
  }
  return check.issues;
}

function checkName(check: FormChecker, at: Array<string | number>, name: unknown): void {
  if (typeof name !== 'string') {
    check.add([...at, 'name'], 'BASE_TYPE_REQUIRED', 'This field is required');
  } else if (!CHAT_INPUT_NAME.test(name) || name !== name.toLowerCase()) {
    check.add(
      [...at, 'name'],
      'APPLICATION_COMMAND_INVALID_NAME',
      `Command name is invalid: ${JSON.stringify(name)} must be 1–32 lowercase letters, digits, - or _`,
    );
  }
}

function checkOptions(check: FormChecker, at: Array<string | number>, options: unknown, depth: number): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) return check.add([...at, 'options'], 'BASE_TYPE_ARRAY', 'Must be an array.');
  check.count([...at, 'options'], options, 0, 25);
  const names = new Set<string>();
  let optionalSeen = false;
  options.forEach((option, i) => {
    const here = [...at, 'options', i];
    if (!isRecord(option)) return check.add(here, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    const type = option.type as ApplicationCommandOptionType;
    if (typeof type !== 'number' || !(type in ApplicationCommandOptionType))
      return check.add([...here, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, …, 11}.');
    checkName(check, here, option.name);
    check.text([...here, 'description'], option.description, 1, 100, true);
    if (typeof option.name === 'string') {
      if (names.has(option.name)) check.add([...here, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
      names.add(option.name);
    }
    const nests = type === ApplicationCommandOptionType.Subcommand || type === ApplicationCommandOptionType.SubcommandGroup;
    if (nests) {
      if (depth >= (type === ApplicationCommandOptionType.SubcommandGroup ? 1 : 2)) {
        check.add([...here, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Sub-commands cannot be nested this deep');
      }
      checkOptions(check, here, option.options, depth + 1);
      return;
    }
    if (option.required === true && optionalSeen) {
      check.add([...here, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    }
    if (option.required !== true) optionalSeen = true;
    checkChoices(check, here, option);
  });
}

function checkChoices(check: FormChecker, here: Array<string | number>, option: Record<string, unknown>): void {
  if (!Array.isArray(option.choices)) return;
  if (option.autocomplete === true && option.choices.length > 0) {
    check.add([...here, 'autocomplete'], 'APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES', 'Autocomplete cannot be set with choices');
  }
  check.count([...here, 'choices'], option.choices, 0, 25);
  option.choices.forEach((choice, j) => {
    if (!isRecord(choice)) return;
    check.text([...here, 'choices', j, 'name'], choice.name, 1, 100, true);
    if (typeof choice.value === 'string') check.text([...here, 'choices', j, 'value'], choice.value, 1, 100);
    else if (typeof choice.value !== 'number') check.add([...here, 'choices', j, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
  });
}
