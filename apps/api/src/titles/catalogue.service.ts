import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type {
  CatalogueChangeResponse,
  CatalogueResponse,
  CatalogueTitle,
  EditionIdentifier,
  MoveIdentifierRequest,
} from '@mt/contracts';
import { CatalogueRepository, CatalogueTransaction, LinePlacement, StoredIdentifier } from './catalogue.repository';

/**
 * Admin changes to the catalogue (SPEC §3): rename, merge, split, and where an identifier leads. Every
 * change updates catalogue rows only (lines keep their edition, editions move between titles), so every
 * past window follows; the title rollups concerned are rebuilt in the same transaction. With `dryRun`
 * the change runs and is rolled back: the answer is what it would do. Bad requests change nothing.
 */
@Injectable()
export class CatalogueService {
  constructor(private readonly repository: CatalogueRepository) {}

  async search(search: string | undefined, limit: number): Promise<CatalogueResponse> {
    const text = search?.trim() ? search.trim() : null;
    return { titles: await this.repository.search(text, limit) };
  }

  rename(id: string, name: string, dryRun: boolean): Promise<CatalogueChangeResponse> {
    return this.repository.change(dryRun, async (tx) => {
      await this.requireTitles(tx, [id]);
      await tx.rename(id, name.trim());
      return this.result(tx, dryRun, [id], [], { lines: 0, revenue: '0' });
    });
  }

  merge(id: string, titleIds: number[], dryRun: boolean): Promise<CatalogueChangeResponse> {
    const others = [...new Set(titleIds.map(String))];
    if (others.includes(id)) throw new BadRequestException([`titleIds must not include ${id}, the title merged into`]);
    return this.repository.change(dryRun, async (tx) => {
      await this.requireTitles(tx, [id, ...others]);
      const moved = await tx.linesOn({ titleIds: others });
      await tx.merge(id, others);
      if (!dryRun) await tx.rebuildRollups([id, ...others]);
      return this.result(tx, dryRun, [id], others, moved);
    });
  }

  split(id: string, editionIds: number[], name: string | undefined, dryRun: boolean): Promise<CatalogueChangeResponse> {
    const chosen = [...new Set(editionIds.map(String))];
    return this.repository.change(dryRun, async (tx) => {
      await this.requireTitles(tx, [id]);
      const editions = await tx.editions(id);
      const foreign = chosen.filter((edition) => !editions.some((e) => e.id === edition));
      if (foreign.length)
        throw new BadRequestException([
          `editionIds: ${foreign.join(', ')} ${are(foreign)} not an edition of title ${id}`,
        ]);
      if (chosen.length === editions.length)
        throw new BadRequestException([
          `editionIds must leave at least one edition on title ${id} (it has ${editions.length}); to change its name, rename it`,
        ]);
      const first = editions.find((e) => e.id === chosen[0])!;
      const newName = name?.trim() || `${await tx.titleName(id)} (${first.format})`;
      const moved = await tx.linesOn({ editionIds: chosen });
      const created = await tx.split(chosen, newName);
      if (!dryRun) await tx.rebuildRollups([id, created]);
      return this.result(tx, dryRun, [id, created], [], moved);
    });
  }

  /** Points an identifier that leads to one edition at another; the lines it leads to follow. */
  moveIdentifier(request: MoveIdentifierRequest, dryRun: boolean): Promise<CatalogueChangeResponse> {
    const key = identifierKey(request);
    return this.repository.change(dryRun, async (tx) => {
      const target = await this.requireEdition(tx, String(request.editionId));
      const stored = await tx.identifier(key.kind, key.platform, key.value);
      if (!stored) throw new NotFoundException([`${describe(key)} leads to no edition yet`]);
      if (stored.editionId === target.id)
        throw new BadRequestException([`${describe(key)} leads to edition ${target.id} already`]);
      const from = await tx.edition(stored.editionId);
      return this.reassign(tx, dryRun, { ...key, editionId: target.id }, [from!.titleId, target.titleId]);
    });
  }

  /** Gives an edition an identifier no edition has; one that leads elsewhere is a conflict (move it instead). */
  addIdentifier(editionId: string, identifier: EditionIdentifier, dryRun: boolean): Promise<CatalogueChangeResponse> {
    const key = identifierKey(identifier);
    return this.repository.change(dryRun, async (tx) => {
      const target = await this.requireEdition(tx, editionId);
      const stored = await tx.identifier(key.kind, key.platform, key.value);
      if (stored && stored.editionId !== target.id) {
        const other = await tx.edition(stored.editionId);
        throw new ConflictException([
          `${describe(key)} already leads to edition ${stored.editionId} (${other!.format} of "${await tx.titleName(other!.titleId)}"); an identifier leads to one edition: move it instead`,
        ]);
      }
      return this.reassign(tx, dryRun, { ...key, editionId: target.id }, [target.titleId]);
    });
  }

  private async reassign(
    tx: CatalogueTransaction,
    dryRun: boolean,
    identifier: StoredIdentifier,
    titleIds: string[],
  ): Promise<CatalogueChangeResponse> {
    const before = await tx.linesCarrying(identifier);
    await tx.assignIdentifier(identifier);
    await tx.rematch(before);
    const after = await tx.linesCarrying(identifier);
    const was = new Map(before.map((line) => [placementKey(line), line.titleId]));
    const moved = after.filter((line) => was.get(placementKey(line)) !== line.titleId);
    const touched = [...new Set([...titleIds, ...before.map((l) => l.titleId), ...after.map((l) => l.titleId)])];
    if (!dryRun) await tx.rebuildRollups(touched);
    return this.result(tx, dryRun, titleIds, [], await tx.linesRevenue(moved));
  }

  private async result(
    tx: CatalogueTransaction,
    dryRun: boolean,
    titleIds: string[],
    removed: string[],
    moved: { lines: number; revenue: string },
  ): Promise<CatalogueChangeResponse> {
    const titles: CatalogueTitle[] = await tx.titles([...new Set(titleIds)]);
    return {
      applied: !dryRun,
      titles,
      removedTitleIds: removed.map(Number),
      movedLines: moved.lines,
      movedRevenue: Number(moved.revenue),
    };
  }

  private async requireTitles(tx: CatalogueTransaction, ids: string[]): Promise<void> {
    const found = new Set(await tx.existingTitles(ids));
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length) throw new NotFoundException([`title ${missing.join(', ')} does not exist`]);
  }

  private async requireEdition(tx: CatalogueTransaction, id: string): Promise<{ id: string; titleId: string }> {
    const edition = await tx.edition(id);
    if (!edition) throw new NotFoundException([`edition ${id} does not exist`]);
    return edition;
  }
}

/** Where an identifier is stored: ISBNs and SKUs on every platform (''), listings on theirs, Spotify keys apart. */
function identifierKey(identifier: EditionIdentifier): Omit<StoredIdentifier, 'editionId'> {
  const value = identifier.value.trim();
  if (identifier.platform === 'spotify') return { kind: identifier.kind, platform: 'spotify', value };
  if (identifier.kind === 'title')
    throw new BadRequestException(['kind title names a Spotify title key: platform must be spotify']);
  if (identifier.kind === 'listing') {
    if (!identifier.platform) throw new BadRequestException(['platform is required for a listing id']);
    return { kind: 'listing', platform: identifier.platform, value };
  }
  if (identifier.platform !== null)
    throw new BadRequestException([`platform must be null for ${identifier.kind === 'isbn' ? 'an ISBN' : 'a SKU'}`]);
  return { kind: identifier.kind, platform: '', value };
}

function describe(identifier: Omit<StoredIdentifier, 'editionId'>): string {
  const where = identifier.platform === '' ? '' : ` on ${identifier.platform}`;
  return `${identifier.kind} ${identifier.value}${where}`;
}

function placementKey(line: LinePlacement): string {
  return `${line.orderId}:${line.position}`;
}

function are(items: unknown[]): string {
  return items.length === 1 ? 'is' : 'are';
}
