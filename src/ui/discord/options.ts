/**
 * Slash command options declared once: each builder returns the option as Discord takes it and the
 * zod schema that validates what Discord sends for it, from the same settings, so the two cannot
 * disagree (required, choices, lengths, ranges). `options` and `subcommands` gather them into what
 * `slashCommand` (command.ts) takes, and TypeScript infers the handler's options from them.
 */
import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandOption,
  type ApplicationCommandOptionAllowedChannelType,
  ApplicationCommandOptionType,
} from 'discord-api-types/v10';
import { z } from 'zod';

/** One option without its name (the key it is declared under names it). */
export interface OptionSpec<Schema extends z.ZodType = z.ZodType> {
  readonly json: DistributiveOmit<APIApplicationCommandBasicOption, 'name'>;
  readonly schema: Schema;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A command's options as Discord takes them, and the schema of what the router hands its handler. */
export interface OptionSet<Options> {
  readonly json: APIApplicationCommandOption[];
  readonly schema: z.ZodType<Options>;
}

interface Common {
  readonly description: string;
}

/**
 * Each builder takes `required: true`, or a `default` the handler sees when the option is not
 * given, or neither (then the handler sees `undefined`); Builder types the schema to match.
 */
interface Presence {
  readonly required?: boolean;
  readonly default?: unknown;
}

function present(json: OptionSpec['json'], schema: z.ZodType, presence: Presence): OptionSpec {
  if (presence.required === true) return { json: { ...json, required: true }, schema };
  return { json, schema: presence.default === undefined ? schema.optional() : schema.default(presence.default as never) };
}

type MustBeGiven = { readonly required: true };
type WithDefault<T> = { readonly required?: false; readonly default: T };
type MayBeLeftOut = { readonly required?: false; readonly default?: undefined };

/** A builder of options whose schema is `S` and whose values are `T`, typed by how it is present. */
interface Builder<Settings, S extends z.ZodType, T> {
  (settings: Settings & MustBeGiven): OptionSpec<S>;
  (settings: Settings & WithDefault<T>): OptionSpec<z.ZodDefault<S>>;
  (settings: Settings & MayBeLeftOut): OptionSpec<z.ZodOptional<S>>;
}

interface TextSettings extends Common {
  readonly min_length?: number;
  readonly max_length?: number;
  readonly autocomplete?: boolean;
}

export const text = ((settings: TextSettings & Presence): OptionSpec => {
  const { description, min_length, max_length, autocomplete } = settings;
  const json = { type: ApplicationCommandOptionType.String, description, ...defined({ min_length, max_length, autocomplete }) } as const;
  return present(json, bounded(z.string(), min_length, max_length), settings);
}) as Builder<TextSettings, z.ZodString, string>;

interface ChoiceSettings<V extends string> extends Common {
  /** Shown names and the values they send; a handler sees one of the values. */
  readonly choices: readonly { readonly name: string; readonly value: V }[];
}

type Enum<V extends string> = z.ZodEnum<{ [K in V]: K }>;

/** Choices shown as the values they send. */
export function namedAsValues<const V extends string>(values: readonly V[]): { name: V; value: V }[] {
  return values.map((value) => ({ name: value, value }));
}

export function choice<const V extends string>(settings: ChoiceSettings<V> & MustBeGiven): OptionSpec<Enum<V>>;
export function choice<const V extends string>(settings: ChoiceSettings<V> & WithDefault<NoInfer<V>>): OptionSpec<z.ZodDefault<Enum<V>>>;
export function choice<const V extends string>(settings: ChoiceSettings<V> & MayBeLeftOut): OptionSpec<z.ZodOptional<Enum<V>>>;
export function choice(settings: ChoiceSettings<string> & Presence): OptionSpec {
  const { description, choices } = settings;
  const schema = z.enum(choices.map((c) => c.value) as [string, ...string[]]);
  return present({ type: ApplicationCommandOptionType.String, description, choices: choices.map((c) => ({ name: c.name, value: c.value })) }, schema, settings);
}

interface IntegerSettings extends Common {
  readonly min_value?: number;
  readonly max_value?: number;
}

export const integer = ((settings: IntegerSettings & Presence): OptionSpec => {
  const { description, min_value, max_value } = settings;
  return present(
    { type: ApplicationCommandOptionType.Integer, description, ...defined({ min_value, max_value }) },
    bounded(z.number().int(), min_value, max_value),
    settings,
  );
}) as Builder<IntegerSettings, z.ZodNumber, number>;

export const boolean = ((settings: Common & Presence): OptionSpec =>
  present({ type: ApplicationCommandOptionType.Boolean, description: settings.description }, z.boolean(), settings)) as Builder<Common, z.ZodBoolean, boolean>;

/** A channel as the router passes it on: what Discord resolved of it. */
export const ChannelValue = z.object({ id: z.string(), name: z.string().nullable(), type: z.number().nullable() });

interface ChannelSettings extends Common {
  readonly channel_types?: readonly ApplicationCommandOptionAllowedChannelType[];
}

/** A channel option has no default: Discord cannot offer one. */
export const channel = ((settings: ChannelSettings & Presence): OptionSpec => {
  const { description, channel_types } = settings;
  return present(
    { type: ApplicationCommandOptionType.Channel, description, ...(channel_types ? { channel_types: [...channel_types] } : {}) },
    ChannelValue,
    settings,
  );
}) as Builder<ChannelSettings, typeof ChannelValue, never>;

/** A file a user attached, as the router passes it on: what Discord said of it, never its bytes (see attachments.ts). */
export const AttachmentValue = z.object({
  name: z.string(),
  size: z.number().int().nonnegative(),
  url: z.string(),
  contentType: z.string().nullable(),
});
export type AttachmentValue = z.output<typeof AttachmentValue>;

/** A file option: Discord's client uploads it and sends its name, size and URL. No default: Discord cannot offer one. */
export const attachment = ((settings: Common & Presence): OptionSpec =>
  present({ type: ApplicationCommandOptionType.Attachment, description: settings.description }, AttachmentValue, settings)) as Builder<
  Common,
  typeof AttachmentValue,
  never
>;

type Shape<O extends Record<string, OptionSpec>> = { -readonly [K in keyof O]: O[K]['schema'] };

/** Options by name, in the order Discord shows them (required ones first, as Discord demands). */
export function options<const O extends Record<string, OptionSpec>>(specs: O): OptionSet<z.output<z.ZodObject<Shape<O>>>> {
  const shape = Object.fromEntries(Object.entries(specs).map(([name, s]) => [name, s.schema])) as Shape<O>;
  const json = Object.entries(specs).map(([name, s]) => ({ name, ...s.json }));
  return { json, schema: z.object(shape) };
}

interface SubcommandSpec<O extends Record<string, OptionSpec>> extends Common {
  readonly options?: O;
}

type SubcommandOptions<S extends Record<string, SubcommandSpec<Record<string, OptionSpec>>>> = {
  [K in keyof S & string]: { subcommand: K } & z.output<z.ZodObject<Shape<NonNullable<S[K]['options']>>>>;
}[keyof S & string];

/**
 * Subcommands by name, each with its own options; the handler gets `subcommand` (its name) beside
 * that subcommand's options, as the router flattens them, typed per subcommand.
 */
export function subcommands<const S extends Record<string, SubcommandSpec<Record<string, OptionSpec>>>>(specs: S): OptionSet<SubcommandOptions<S>> {
  const entries = Object.entries(specs).map(([name, s]) => ({ name, s, set: options(s.options ?? {}) }));
  const json = entries.map(({ name, s, set }) => ({
    type: ApplicationCommandOptionType.Subcommand as const,
    name,
    description: s.description,
    ...(set.json.length > 0 ? { options: set.json as APIApplicationCommandBasicOption[] } : {}),
  }));
  const variants = entries.map(({ name, s }) =>
    z.object({ subcommand: z.literal(name), ...Object.fromEntries(Object.entries(s.options ?? {}).map(([n, o]) => [n, o.schema])) }),
  );
  const schema = z.discriminatedUnion('subcommand', variants as unknown as [z.ZodObject, ...z.ZodObject[]]);
  return { json, schema: schema as unknown as z.ZodType<SubcommandOptions<S>> };
}

/** A length or value range Discord checks, checked again by the schema. */
function bounded<S extends { min(n: number): S; max(n: number): S }>(schema: S, min: number | undefined, max: number | undefined): S {
  const floored = min === undefined ? schema : schema.min(min);
  return max === undefined ? floored : floored.max(max);
}

/** The settings that were given: Discord's definition leaves out what is not set, and deploy compares definitions. */
function defined<T extends Record<string, unknown>>(settings: T): Partial<T> {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Partial<T>;
}
