import type { Role } from '../access/roles.js';

/** An active officer's place, for the membership of the groups that follow the hierarchy. */
export interface DirectoryMember {
  readonly id: string;
  readonly role: Role;
  readonly agency: string;
  readonly unit: string | undefined;
}

/** An officer as keys and group states name them. */
export interface DirectoryAccount {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly agency: string;
}

/**
 * What the sealed layer asks of the hierarchy: who holds which place now, officers' names, the
 * CBI's own agency. The modules that keep those (accounts, organisation) answer; the portal hands
 * the answers in once at start, so this layer never imports a module above it.
 */
export interface SealedDirectory {
  activeMembers(): Promise<readonly DirectoryMember[]>;
  agencyOfUnit(unitId: string): Promise<string | undefined>;
  accounts(ids: readonly string[]): Promise<DirectoryAccount[]>;
  cbiAgencyId(): Promise<string>;
}

let provided: SealedDirectory | undefined;

/** Hands the sealed layer its directory (the portal, at start; a later call replaces it). */
export function provideDirectory(directory: SealedDirectory): void {
  provided = directory;
}

export function directory(): SealedDirectory {
  if (!provided) throw new Error('The sealed layer has no directory yet: the portal provides one at start (provideDirectory).');
  return provided;
}
