/**
 * Each command's options are declared once (src/ui/discord/options.ts) and give both what Discord
 * is told and what the router accepts. These check, for every command, that the two agree: the
 * same names, required where Discord requires, the same choices, and required options first (Discord
 * refuses a definition otherwise).
 */
import { type APIApplicationCommandBasicOption, type APIApplicationCommandOption, ApplicationCommandOptionType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commands } from '../commands/index.ts';

/** One set of options the router may be handed: a command's own, or one subcommand's with its name. */
interface Variant {
  readonly label: string;
  readonly subcommand: string | null;
  readonly options: readonly APIApplicationCommandBasicOption[];
}

function variantsOf(name: string, options: readonly APIApplicationCommandOption[]): Variant[] {
  const subs = options.filter((o) => o.type === ApplicationCommandOptionType.Subcommand);
  if (subs.length === 0) return [{ label: `/${name}`, subcommand: null, options: options as APIApplicationCommandBasicOption[] }];
  return subs.map((s) => ({ label: `/${name} ${s.name}`, subcommand: s.name, options: s.options ?? [] }));
}

/** A value Discord could send for the option, as the router passes it on. */
function valueFor(o: APIApplicationCommandBasicOption): unknown {
  switch (o.type) {
    case ApplicationCommandOptionType.String:
      return o.choices?.[0]?.value ?? 'x'.repeat(Math.max(o.min_length ?? 1, 1));
    case ApplicationCommandOptionType.Integer:
      return o.min_value ?? 1;
    case ApplicationCommandOptionType.Boolean:
      return true;
    case ApplicationCommandOptionType.Channel:
      return { id: '123', name: 'news', type: 0 };
    case ApplicationCommandOptionType.Attachment:
      return { name: 'feeds.opml', size: 1, url: 'https://cdn.discordapp.com/attachments/1/2/feeds.opml', contentType: null };
    default:
      throw new Error(`no sample value for option type ${o.type}`);
  }
}

function sample(v: Variant, leaveOut?: string): Record<string, unknown> {
  const entries = v.options.filter((o) => o.name !== leaveOut).map((o) => [o.name, valueFor(o)] as const);
  return { ...(v.subcommand === null ? {} : { subcommand: v.subcommand }), ...Object.fromEntries(entries) };
}

/** The option names a schema knows, per subcommand where it has them. */
function schemaNames(schema: z.ZodType, subcommand: string | null): string[] {
  if (schema instanceof z.ZodObject) return Object.keys(schema.shape);
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const variant = (schema.options as z.ZodObject[]).find((o) => o.shape.subcommand instanceof z.ZodLiteral && o.shape.subcommand.value === subcommand);
    return Object.keys(variant?.shape ?? {}).filter((n) => n !== 'subcommand');
  }
  throw new Error(`unexpected schema type ${schema.constructor.name}`);
}

const cases = commands.flatMap((c) => variantsOf(c.definition.name, c.definition.options ?? []).map((v) => ({ command: c, v })));

describe('GIVEN every command’s definition and its option schema', () => {
  it.each(cases.map((x) => [x.v.label, x] as const))('THEN %s names the same options in both', (_label, { command, v }) => {
    expect(schemaNames(command.options, v.subcommand).sort()).toEqual(v.options.map((o) => o.name).sort());
  });

  it.each(cases.map((x) => [x.v.label, x] as const))(
    'THEN %s takes what Discord may send, and refuses it without a required option',
    (_label, { command, v }) => {
      const full = command.options.safeParse(sample(v));
      expect(full.error?.issues ?? [], 'issues with every option given').toEqual([]);
      for (const o of v.options) {
        const without = command.options.safeParse(sample(v, o.name));
        if (o.required)
          expect(
            without.error?.issues.map((i) => i.path.join('.')),
            `${o.name} left out`,
          ).toContain(o.name);
        else expect(without.error?.issues ?? [], `${o.name} left out`).toEqual([]);
      }
    },
  );

  it.each(cases.map((x) => [x.v.label, x] as const))('THEN %s accepts exactly the choices it offers', (_label, { command, v }) => {
    for (const o of v.options) {
      if (o.type !== ApplicationCommandOptionType.String || !o.choices) continue;
      for (const c of o.choices)
        expect(command.options.safeParse({ ...sample(v), [o.name]: c.value }).error?.issues ?? [], `${o.name}: ${c.value}`).toEqual([]);
      expect(command.options.safeParse({ ...sample(v), [o.name]: 'not-a-choice' }).success, `${o.name}: not-a-choice`).toBe(false);
    }
  });

  it.each(cases.map((x) => [x.v.label, x] as const))('THEN %s lists its required options first, as Discord demands', (_label, { v }) => {
    const firstOptional = v.options.findIndex((o) => !o.required);
    const lastRequired = v.options.findLastIndex((o) => o.required);
    expect(firstOptional === -1 || lastRequired < firstOptional, v.options.map((o) => `${o.name}${o.required ? '*' : ''}`).join(' ')).toBe(true);
  });
});
