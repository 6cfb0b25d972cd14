/**
 * Discord's limits on what a bot may send: message content, embeds, components, nonces, thread
 * names, autocomplete choices and modals. Each check returns the broken rules as form issues at the
 * path Discord would name (`embeds[0].description`); the caller answers 400 50035 with them.
 * Lengths count Unicode code points, as Discord does.
 */
import { ComponentType, MessageFlags } from 'discord-api-types/v10';
import type { FormIssue } from './errors.ts';
import { FormChecker, isRecord } from './form-checker.ts';

const EMBED_TOTAL = 6000;
const AUTO_ARCHIVE_DURATIONS = [60, 1440, 4320, 10080];
const SELECT_TYPES: ReadonlySet<number> = new Set([
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
]);

/** The fields of a message body (create or edit): content, nonce, embeds, components, allowed_mentions. */
export function checkMessageBody(body: Record<string, unknown>, path: ReadonlyArray<string | number> = []): FormIssue[] {
  const check = new FormChecker(path);
  if (body.content !== undefined && body.content !== null) check.text(['content'], body.content, 0, 2000);
  if (body.nonce !== undefined && body.nonce !== null) {
    if (typeof body.nonce === 'string') check.text(['nonce'], body.nonce, 0, 25);
    else if (!Number.isSafeInteger(body.nonce)) check.add(['nonce'], 'BASE_TYPE_STRING', 'Could not interpret nonce as a string or an integer.');
  }
  if (Array.isArray(body.embeds)) checkEmbeds(check, body.embeds);
  else if (body.embeds !== undefined && body.embeds !== null) check.add(['embeds'], 'BASE_TYPE_ARRAY', 'Must be an array.');
  if (body.components !== undefined && body.components !== null) {
    const v2 = typeof body.flags === 'number' && (body.flags & MessageFlags.IsComponentsV2) !== 0;
    checkComponents(check, body.components, v2);
  }
  if (isRecord(body.allowed_mentions)) checkAllowedMentions(check, body.allowed_mentions);
  return check.issues;
}

/** Whether a message (after an edit's changes) would show anything at all. */
export function hasVisibleContent(message: { content?: unknown; embeds?: unknown; components?: unknown; attachments?: unknown }): boolean {
  const content = typeof message.content === 'string' && message.content.trim().length > 0;
  const files = Array.isArray(message.attachments) && message.attachments.length > 0;
  const embeds = Array.isArray(message.embeds) && message.embeds.length > 0;
  const components = Array.isArray(message.components) && message.components.length > 0;
  return content || embeds || components || files;
}

function checkEmbeds(check: FormChecker, embeds: unknown[]): void {
  check.count(['embeds'], embeds, 0, 10);
  let total = 0;
  embeds.forEach((embed, i) => {
    if (!isRecord(embed)) return check.add(['embeds', i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    total += check.text(['embeds', i, 'title'], embed.title, 0, 256);
    total += check.text(['embeds', i, 'description'], embed.description, 0, 4096);
    if (isRecord(embed.footer)) total += check.text(['embeds', i, 'footer', 'text'], embed.footer.text, 1, 2048, true);
    if (isRecord(embed.author)) total += check.text(['embeds', i, 'author', 'name'], embed.author.name, 1, 256, true);
    if (Array.isArray(embed.fields)) {
      check.count(['embeds', i, 'fields'], embed.fields, 0, 25);
      embed.fields.forEach((field, j) => {
        if (!isRecord(field)) return check.add(['embeds', i, 'fields', j], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
        total += check.text(['embeds', i, 'fields', j, 'name'], field.name, 1, 256, true);
        total += check.text(['embeds', i, 'fields', j, 'value'], field.value, 1, 1024, true);
      });
    }
  });
  if (total > EMBED_TOTAL) check.add(['embeds'], 'MAX_EMBED_SIZE_EXCEEDED', `Embed size exceeds maximum size of ${EMBED_TOTAL}`);
}

function checkComponents(check: FormChecker, components: unknown, v2: boolean): void {
  if (!Array.isArray(components)) return check.add(['components'], 'BASE_TYPE_ARRAY', 'Must be an array.');
  if (!v2) check.count(['components'], components, 0, 5);
  const customIds = new Set<string>();
  components.forEach((row, i) => {
    if (!isRecord(row)) return check.add(['components', i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    if (row.type !== ComponentType.ActionRow) {
      // Components v2 layouts (containers, text displays…) are accepted without a deeper look.
      if (!v2) check.add(['components', i, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1}.');
      return;
    }
    const children = Array.isArray(row.components) ? row.components : [];
    check.count(['components', i, 'components'], children, 1, 5);
    let width = 0;
    children.forEach((child, j) => {
      const at = ['components', i, 'components', j];
      if (!isRecord(child)) return check.add(at, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      if (typeof child.custom_id === 'string') {
        if (customIds.has(child.custom_id)) check.add([...at, 'custom_id'], 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
        customIds.add(child.custom_id);
      }
      if (child.type === ComponentType.Button) {
        width += 1;
        checkButton(check, at, child);
      } else if (typeof child.type === 'number' && SELECT_TYPES.has(child.type)) {
        width += 5;
        checkSelect(check, at, child);
      } else {
        check.add([...at, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {2, 3, 5, 6, 7, 8}.');
      }
    });
    // A row already over five components needs no second complaint about its width.
    if (width > 5 && children.length <= 5)
      check.add(['components', i, 'components'], 'COMPONENT_LAYOUT_WIDTH_EXCEEDED', 'The specified component exceeds the maximum width');
  });
}

function checkButton(check: FormChecker, at: Array<string | number>, button: Record<string, unknown>): void {
  const style = button.style;
  if (typeof style !== 'number' || style < 1 || style > 6) check.add([...at, 'style'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6}.');
  check.text([...at, 'label'], button.label, 0, 80);
  if (style === 5) {
    if (typeof button.url !== 'string') check.add([...at, 'url'], 'BASE_TYPE_REQUIRED', 'This field is required');
    if (button.custom_id !== undefined) check.add([...at, 'custom_id'], 'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED', 'A custom id cannot be set on a link button');
  } else if (style !== 6) {
    check.text([...at, 'custom_id'], button.custom_id, 1, 100, true);
  }
  if (style !== 6 && button.label === undefined && button.emoji === undefined) {
    check.add([...at, 'label'], 'BUTTON_COMPONENT_INVALID', 'A button needs a label or an emoji');
  }
}

function checkSelect(check: FormChecker, at: Array<string | number>, select: Record<string, unknown>): void {
  check.text([...at, 'custom_id'], select.custom_id, 1, 100, true);
  check.text([...at, 'placeholder'], select.placeholder, 0, 150);
  check.integer([...at, 'min_values'], select.min_values, 0, 25);
  check.integer([...at, 'max_values'], select.max_values, 1, 25);
  if (select.type !== ComponentType.StringSelect) return;
  const options = Array.isArray(select.options) ? select.options : [];
  check.count([...at, 'options'], options, 1, 25);
  options.forEach((option, k) => {
    if (!isRecord(option)) return;
    check.text([...at, 'options', k, 'label'], option.label, 1, 100, true);
    check.text([...at, 'options', k, 'value'], option.value, 1, 100, true);
    check.text([...at, 'options', k, 'description'], option.description, 0, 100);
  });
}

function checkAllowedMentions(check: FormChecker, mentions: Record<string, unknown>): void {
  const parse = Array.isArray(mentions.parse) ? mentions.parse : [];
  parse.forEach((kind, i) => {
    if (kind !== 'users' && kind !== 'roles' && kind !== 'everyone')
      check.add(['allowed_mentions', 'parse', i], 'BASE_TYPE_CHOICES', 'Value must be one of {users, roles, everyone}.');
  });
  for (const kind of ['users', 'roles'] as const) {
    if (parse.includes(kind) && Array.isArray(mentions[kind])) {
      check.add(['allowed_mentions'], 'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE', `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`);
    }
  }
}

/** A thread's `name` (1–100) and `auto_archive_duration` (60, 1440, 4320 or 10080). */
export function checkThreadBody(body: Record<string, unknown>): FormIssue[] {
  const check = new FormChecker();
  check.text(['name'], body.name, 1, 100, true);
  const duration = body.auto_archive_duration;
  if (duration !== undefined && duration !== null && !AUTO_ARCHIVE_DURATIONS.includes(duration as number)) {
    check.add(['auto_archive_duration'], 'BASE_TYPE_CHOICES', `Value must be one of {${AUTO_ARCHIVE_DURATIONS.join(', ')}}.`);
  }
  return check.issues;
}

/** An autocomplete result: at most 25 choices, names 1–100, string values up to 100. */
export function checkAutocompleteData(data: Record<string, unknown>): FormIssue[] {
  const check = new FormChecker(['data']);
  const choices = data.choices;
  if (!Array.isArray(choices)) {
    check.add(['choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
    return check.issues;
  }
  check.count(['choices'], choices, 0, 25);
  choices.forEach((choice, i) => {
    if (!isRecord(choice)) return check.add(['choices', i], 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
    check.text(['choices', i, 'name'], choice.name, 1, 100, true);
    if (typeof choice.value === 'string') check.text(['choices', i, 'value'], choice.value, 0, 100);
    else if (typeof choice.value !== 'number') check.add(['choices', i, 'value'], 'BASE_TYPE_REQUIRED', 'This field is required');
  });
  return check.issues;
}

/** A modal: custom_id 1–100, title 1–45, 1–5 rows. */
export function checkModalData(data: Record<string, unknown>): FormIssue[] {
  const check = new FormChecker(['data']);
  check.text(['custom_id'], data.custom_id, 1, 100, true);
  check.text(['title'], data.title, 1, 45, true);
  check.count(['components'], Array.isArray(data.components) ? data.components : [], 1, 5);
  return check.issues;
}
