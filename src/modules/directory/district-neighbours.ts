import type { EntityManager } from '@mikro-orm/postgresql';
import { DistrictSchema } from './domain/department.entity';

/**
 * The 地区 next to `code` in the caller's tenant (隣接地区), in code order. Adjacency is symmetric: either
 * 地区 naming the other is enough, so a tenant records each pair once.
 */
export async function districtNeighbours(em: EntityManager, code: string): Promise<string[]> {
  const districts = await em.find(DistrictSchema, {}, { orderBy: { code: 'asc' } });
  const self = districts.find((d) => d.code === code);
  if (!self) return [];
  const named = new Set(self.neighbours);
  return districts.filter((d) => d.code !== code && (named.has(d.code) || d.neighbours.includes(code))).map((d) => d.code);
}
