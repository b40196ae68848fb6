/** The municipal units that decide for families (brief: the delegation table). */
export const UNITS = ['HVK', 'BFT', 'NAV', 'INN', 'OPPVEKST'] as const;
export type Unit = (typeof UNITS)[number];

export const UNIT_NAMES: Readonly<Record<Unit, string>> = {
  HVK: 'Helse- og velferdskontor (health and welfare office)',
  BFT: 'Barne- og familietjenesten (child and family service)',
  NAV: 'NAV-kontoret, municipal part (social services)',
  INN: 'Enhet for inkludering (inclusion unit)',
  OPPVEKST: 'Oppvekstadministrasjonen (education and childhood administration)',
};

export function isUnit(value: unknown): value is Unit {
  return typeof value === 'string' && (UNITS as readonly string[]).includes(value);
}
