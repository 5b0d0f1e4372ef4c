import type { DeclarationInput } from '../../events/v1/declaration';
import { DecisionInput } from '../../events/v1/declaration';
import perishable from '../../events/v1/samples/declarations/import-perishable.json';
import { referralsAtLodgement } from '../../shared/domain/clearance/referrals';
import type { Role } from '../../shared/domain/roles';
import {
  decideDeclaration,
  getDeclaration,
  listDeclarations,
  lodgeDeclaration,
} from '../../shared/use-cases/declarations';
import { inMemoryDeclarationDependencies } from '../support/declaration-deps';
import type { InMemoryDeclarationStore } from '../support/in-memory-declaration-store';
import { OPEN_DECLARATION } from '../support/route-samples';

const as = (role: Role, sub = `user-${role}`) => ({ sub, roles: [role] });
const officer = as('customs-officer');
const quarantine = as('quarantine');

const deps = inMemoryDeclarationDependencies;

describe('referral to quarantine', () => {
  it('refers plant and animal goods, and goods with a phytosanitary or veterinary certificate, at lodgement', () => {
    expect(referralsAtLodgement({ items: [{ hsCode: '080929' }] })).toEqual([
      { agency: 'quarantine', reason: 'referred to quarantine at lodgement: HS chapter 08' },
    ]);
    expect(referralsAtLodgement({ items: [{ hsCode: '850440' }], documents: [{ type: 'veterinary' }] })).toHaveLength(
      1,
    );
    expect(referralsAtLodgement({ items: [{ hsCode: '440799' }, { hsCode: '010229' }] })[0]?.reason).toContain(
      'HS chapters 44, 01',
    );
    expect(referralsAtLodgement({ items: [{ hsCode: '850440' }], documents: [{ type: 'invoice' }] })).toEqual([]);
  });

  it('lets quarantine see and list only the declarations referred to it', async () => {
    const d = deps();
    const fruit = await lodgeDeclaration(d, as('declarant'), perishable as DeclarationInput);
    const machines = await lodgeDeclaration(d, as('declarant'), OPEN_DECLARATION as DeclarationInput);

    await expect(getDeclaration(d, quarantine, fruit.id)).resolves.toMatchObject({ referredTo: ['quarantine'] });
    await expect(getDeclaration(d, quarantine, machines.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const listed = await listDeclarations(d, quarantine, { limit: 10 });
    expect(listed.items.map((x) => x.id)).toEqual([fruit.id]);
    // Customs and border see both.
    expect((await listDeclarations(d, as('border'), { limit: 10 })).items).toHaveLength(2);
    const log = (await getDeclaration(d, officer, fruit.id)).history.map((h) => h.action);
    expect(log).toContain('refer');
  });

  it('lets an officer refer a declaration (once), after which quarantine sees it; the status does not change', async () => {
    const d = deps();
    const lodged = await lodgeDeclaration(d, as('declarant'), OPEN_DECLARATION as DeclarationInput);
    const refer = DecisionInput.parse({
      action: 'refer',
      agency: 'quarantine',
      reason: 'wooden crates, no ISPM 15 mark',
    });

    const after = await decideDeclaration(d, officer, lodged.id, refer);

    expect(after).toMatchObject({ status: lodged.status, referredTo: ['quarantine'] });
    await expect(getDeclaration(d, quarantine, lodged.id)).resolves.toMatchObject({ id: lodged.id });
    await expect(decideDeclaration(d, officer, lodged.id, refer)).rejects.toMatchObject({
      code: 'DECLARATION_ALREADY_REFERRED',
    });
  });

  it('refuses refer without an agency, and an agency with another action', () => {
    expect(DecisionInput.safeParse({ action: 'refer', reason: 'x' }).success).toBe(false);
    expect(DecisionInput.safeParse({ action: 'hold', agency: 'quarantine', reason: 'x' }).success).toBe(false);
  });
});

describe('holds', () => {
  it('lists the holds in force while a declaration is held, and none once it is released', async () => {
    const d = deps();
    const lodged = await lodgeDeclaration(d, as('declarant'), OPEN_DECLARATION as DeclarationInput);

    const held = await decideDeclaration(d, officer, lodged.id, { action: 'hold', reason: 'awaiting the licence' });
    expect(held.holds).toEqual([
      expect.objectContaining({
        byRole: 'customs-officer',
        reason: 'awaiting the licence',
        at: '2026-11-26T08:00:00.000Z',
      }),
    ]);
    const released = await decideDeclaration(d, officer, lodged.id, { action: 'release', reason: 'licence seen' });
    expect(released.holds).toEqual([]);
  });
});

describe('re-submission by reference', () => {
  it('answers a re-submitted body with the declaration it lodged, not a second one', async () => {
    const d = deps();
    const first = await lodgeDeclaration(d, as('declarant'), OPEN_DECLARATION as DeclarationInput);
    // The same body with its keys in another order is the same body.
    const reordered = Object.fromEntries(Object.entries(OPEN_DECLARATION).reverse()) as DeclarationInput;
    const again = await lodgeDeclaration(d, as('declarant'), reordered);

    expect(again).toEqual(first);
    expect((await listDeclarations(d, as('declarant'), { limit: 10 })).items).toHaveLength(1);
  });

  it('refuses another body under a used reference (409 REFERENCE_IN_USE); another lodger may use it', async () => {
    const d = deps();
    const first = await lodgeDeclaration(d, as('declarant'), OPEN_DECLARATION as DeclarationInput);
    const changed = { ...OPEN_DECLARATION, perishable: true } as DeclarationInput;

    await expect(lodgeDeclaration(d, as('declarant'), changed)).rejects.toMatchObject({
      code: 'REFERENCE_IN_USE',
      details: { declarationId: first.id },
    });
    await expect(lodgeDeclaration(d, as('declarant', 'another'), changed)).resolves.toMatchObject({
      status: expect.any(String),
    });
  });

  it('asks to retry while a lodgement under the reference may still be writing, and takes over an abandoned one', async () => {
    let clock = new Date('2026-11-26T08:00:00Z');
    const d = { ...deps(), now: () => clock };
    const store = d.store as InMemoryDeclarationStore;
    // A lodgement that claimed the reference and died before writing its declaration.
    await store.claimReference('user-declarant', OPEN_DECLARATION.reference, {
      declarationId: 'died-mid-way',
      bodyHash: (await import('node:crypto'))
        .createHash('sha256')
        .update((await import('../../shared/domain/clearance/canonical-json')).canonicalJson(OPEN_DECLARATION))
        .digest('hex'),
      claimedAt: clock.toISOString(),
    });

    await expect(lodgeDeclaration(d, as('declarant'), OPEN_DECLARATION as DeclarationInput)).rejects.toMatchObject({
      code: 'LODGEMENT_IN_PROGRESS',
    });
    clock = new Date(clock.getTime() + 61_000);
    const lodged = await lodgeDeclaration(d, as('declarant'), OPEN_DECLARATION as DeclarationInput);
    expect(lodged.id).not.toBe('died-mid-way');
    expect(store.references.get(`user-declarant\u0000${OPEN_DECLARATION.reference}`)?.declarationId).toBe(lodged.id);
  });
});
