/** Roles in increasing power: each includes everything the ones before it may do. */
export const Role = {
  VIEWER: 'VIEWER',
  ANALYST: 'ANALYST',
  RESPONDER: 'RESPONDER',
  ADMIN: 'ADMIN',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

const rank: Record<Role, number> = { VIEWER: 0, ANALYST: 1, RESPONDER: 2, ADMIN: 3 };

export function hasRole(actual: Role, required: Role): boolean {
  return rank[actual] >= rank[required];
}

export function isRole(value: string): value is Role {
  return Object.hasOwn(rank, value);
}

/** Who is calling: an API key, or the admin token from the environment. */
export interface Principal {
  id: string;
  name: string;
  role: Role;
}
