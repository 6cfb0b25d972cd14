/**
 * Discord's error responses: `{ code, message, errors? }` with the status Discord uses, so the real
 * discord.js turns them into the same `DiscordAPIError`s a bot meets in production.
 */
import { RESTJSONErrorCodes } from 'discord-api-types/v10';

/** One broken rule in a request body, at a path such as `['embeds', 0, 'description']`. */
export interface FormIssue {
  path: ReadonlyArray<string | number>;
  /** Discord's error key, e.g. `BASE_TYPE_MAX_LENGTH`. */
  code: string;
  message: string;
}

/** A Discord error response. Thrown by handlers; the HTTP layer turns it into the reply. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: Record<string, unknown>,
    /** Extra detail for the violation log only (Discord's body names fields in `errors`). */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(): Record<string, unknown> {
    return this.errors ? { code: this.code, message: this.message, errors: this.errors } : { code: this.code, message: this.message };
  }
}

/** `embeds[0].description`: how a path reads in logs and violation messages. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/** Nests issues the way Discord does: `{ embeds: { 0: { description: { _errors: [...] } } } }`. */
export function nestIssues(issues: ReadonlyArray<FormIssue>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const issue of issues) {
    let node = root;
    for (const part of issue.path) {
      const key = String(part);
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    const list = (node._errors ??= []) as unknown[];
    list.push({ code: issue.code, message: issue.message });
  }
  return root;
}

/** 400 50035 Invalid Form Body, naming every broken field. */
export function invalidFormBody(issues: ReadonlyArray<FormIssue>): ApiError {
  const detail = issues.map((issue) => `${formatPath(issue.path) || '(body)'}: ${issue.message}`).join('; ');
  return new ApiError(400, RESTJSONErrorCodes.InvalidFormBodyOrContentType, 'Invalid Form Body', nestIssues(issues), detail);
}

export const unauthorized = (): ApiError => new ApiError(401, 0, '401: Unauthorized');
export const unknownChannel = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
export const unknownMessage = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
export const unknownWebhook = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
export const unknownGuild = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild');
export const unknownCommand = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownApplicationCommand, 'Unknown application command');
export const unknownInteraction = (): ApiError => new ApiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
export const alreadyAcknowledged = (): ApiError =>
  new ApiError(400, RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged, 'Interaction has already been acknowledged.');
export const invalidWebhookToken = (): ApiError => new ApiError(401, RESTJSONErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token');
export const missingPermissions = (detail?: string): ApiError =>
  new ApiError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions', undefined, detail);
export const missingAccess = (): ApiError => new ApiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
export const emptyMessage = (): ApiError => new ApiError(400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message');
export const notAuthor = (): ApiError =>
  new ApiError(403, RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser, 'Cannot edit a message authored by another user');
export const threadAlreadyExists = (): ApiError =>
  new ApiError(400, RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage, 'A thread has already been created for this message');
export const invalidJson = (): ApiError => new ApiError(400, RESTJSONErrorCodes.RequestBodyContainsInvalidJSON, 'The request body contains invalid JSON.');
export const notFound = (): ApiError => new ApiError(404, 0, '404: Not Found');
export const methodNotAllowed = (): ApiError => new ApiError(405, 0, '405: Method Not Allowed');
