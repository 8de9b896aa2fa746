// Demo citizens of the simulated VNeID (citizens.json, which the demo banner prints too): 12-digit personal
// IDs (the first three digits: the province of birth registration, 001 = Hà Nội), as the national population
// database would return them.
import { readFileSync } from 'node:fs';

export const ID_CLAIM = process.env.VNEID_ID_CLAIM || 'so_dinh_danh';

export const CITIZENS = JSON.parse(readFileSync(new URL('./citizens.json', import.meta.url), 'utf8'));

export function findCitizen(id) {
  return CITIZENS.find((c) => c.id === id);
}
