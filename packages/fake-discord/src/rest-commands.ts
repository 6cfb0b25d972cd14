/**
 * Application commands, global and per guild. A bulk overwrite keeps the id (and version) of every
 * command whose name survives, so deploying the same list twice changes nothing, as on Discord.
 */
import { ApplicationCommandType, type APIApplicationCommand } from 'discord-api-types/v10';
import type { Core } from './core.ts';
import { invalidFormBody, missingAccess, unknownCommand } from './errors.ts';
import { isRecord } from './form-checker.ts';
import type { Route, RouteRequest } from './router.ts';
import { checkCommand, checkCommandList } from './validate-commands.ts';

/** The fields a definition may set; everything else Discord fills in. */
const DEFINITION_FIELDS = [
  'type',
  'name',
  'name_localizations',
  'description',
  'description_localizations',
  'options',
  'default_member_permissions',
  'dm_permission',
  'nsfw',
  'contexts',
  'integration_types',
] as const;

export function commandRoutes(core: Core): Route[] {
  const routes: Route[] = [];
  for (const base of ['/applications/{application.id}/commands', '/applications/{application.id}/guilds/{guild.id}/commands']) {
    routes.push(
      { method: 'GET', template: base, handle: (r) => ({ status: 200, body: list(core, r) }) },
      { method: 'PUT', template: base, handle: (r) => ({ status: 200, body: overwrite(core, r) }) },
      { method: 'POST', template: base, handle: (r) => upsert(core, r) },
      { method: 'GET', template: `${base}/{command.id}`, handle: (r) => ({ status: 200, body: find(core, r).command }) },
      { method: 'PATCH', template: `${base}/{command.id}`, handle: (r) => ({ status: 200, body: patch(core, r) }) },
      { method: 'DELETE', template: `${base}/{command.id}`, handle: (r) => remove(core, r) },
    );
  }
  return routes;
}

/** The storage key of the request's scope ('global' or a guild id), after checking access. */
function scopeOf(core: Core, request: RouteRequest): string {
  if (request.params['application.id'] !== core.applicationId) throw missingAccess();
  const guildId = request.params['guild.id'];
  if (guildId === undefined) return 'global';
  if (!core.state.guilds.get(guildId)?.members.has(core.botUser.id)) throw missingAccess();
  return guildId;
}

function list(core: Core, request: RouteRequest): APIApplicationCommand[] {
  return core.state.commands.get(scopeOf(core, request)) ?? [];
}

function overwrite(core: Core, request: RouteRequest): APIApplicationCommand[] {
  const scope = scopeOf(core, request);
  const issues = checkCommandList(request.body);
  if (issues.length > 0) throw invalidFormBody(issues);
  const existing = core.state.commands.get(scope) ?? [];
  const next = (request.body as Array<Record<string, unknown>>).map((definition) => {
    const same = existing.find((c) => c.name === definition.name && c.type === (definition.type ?? ApplicationCommandType.ChatInput));
    return build(core, scope, definition, same);
  });
  core.state.commands.set(scope, next);
  return next;
}

function upsert(core: Core, request: RouteRequest): { status: number; body: APIApplicationCommand } {
  const scope = scopeOf(core, request);
  const issues = checkCommand(request.body);
  if (issues.length > 0) throw invalidFormBody(issues);
  const definition = request.body as Record<string, unknown>;
  const commands = core.state.commands.get(scope) ?? [];
  const at = commands.findIndex((c) => c.name === definition.name && c.type === (definition.type ?? ApplicationCommandType.ChatInput));
  const command = build(core, scope, definition, commands[at]);
  if (at >= 0) commands[at] = command;
  else commands.push(command);
  core.state.commands.set(scope, commands);
  return { status: at >= 0 ? 200 : 201, body: command };
}

function find(core: Core, request: RouteRequest): { scope: string; command: APIApplicationCommand; index: number } {
  const scope = scopeOf(core, request);
  const commands = core.state.commands.get(scope) ?? [];
  const index = commands.findIndex((c) => c.id === request.params['command.id']);
  const command = commands[index];
  if (!command) throw unknownCommand();
  return { scope, command, index };
}

function patch(core: Core, request: RouteRequest): APIApplicationCommand {
  const { scope, command, index } = find(core, request);
  const changes = isRecord(request.body) ? request.body : {};
  const merged = { ...definitionOf(command), ...changes };
  const issues = checkCommand(merged);
  if (issues.length > 0) throw invalidFormBody(issues);
  const next = build(core, scope, merged, command);
  (core.state.commands.get(scope) ?? [])[index] = next;
  return next;
}

function remove(core: Core, request: RouteRequest): { status: number } {
  const { scope, index } = find(core, request);
  core.state.commands.get(scope)?.splice(index, 1);
  return { status: 204 };
}

function definitionOf(command: APIApplicationCommand): Record<string, unknown> {
  const source = command as unknown as Record<string, unknown>;
  return Object.fromEntries(DEFINITION_FIELDS.filter((f) => source[f] !== undefined).map((f) => [f, source[f]]));
}

/** A stored command from a definition, keeping `previous`'s id, and its version when nothing changed. */
function build(core: Core, scope: string, definition: Record<string, unknown>, previous: APIApplicationCommand | undefined): APIApplicationCommand {
  const fields = Object.fromEntries(DEFINITION_FIELDS.filter((f) => definition[f] !== undefined).map((f) => [f, structuredClone(definition[f])]));
  const command = {
    id: previous?.id ?? core.state.ids.next(),
    application_id: core.applicationId,
    version: '',
    default_member_permissions: null,
    description: '',
    ...fields,
    type: (fields.type as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput,
    ...(scope !== 'global' && { guild_id: scope }),
  } as APIApplicationCommand;
  const unchanged = previous !== undefined && canonical(definitionOf(previous)) === canonical(definitionOf(command));
  command.version = unchanged ? previous.version : core.state.ids.next();
  return command;
}

/** JSON with sorted keys, so equal definitions compare equal whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isRecord(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}
