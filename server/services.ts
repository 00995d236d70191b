import type { Config } from './config.js';
import { resolveAppSecret } from './crypto/app-secret.js';
import { KDF_ITERATIONS } from './crypto/kdf.js';
import { Sealer } from './crypto/sealed.js';
import type { DatabaseCapabilities } from './db/capabilities.js';
import type { Logger } from './logger.js';
import { activeAccounts } from './modules/accounts/account-index.js';
import { onAccountChanged } from './modules/accounts/account-events.js';
import { accountById, accountsByIds } from './modules/accounts/account-lookups.js';
import { AccountsService } from './modules/accounts/accounts.service.js';
import { AuditLog } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { EnrolmentService } from './modules/auth/enrolment.service.js';
import { BroadcastService } from './modules/broadcast/broadcast.service.js';
import { ConnectService } from './modules/connect/connect.service.js';
import { MessageChanges } from './modules/connect/message-changes.js';
import { NoticeService } from './modules/notices/notice.service.js';
import { ReferenceService } from './modules/references/reference.service.js';
import { MessageWriter } from './modules/connect/message-writer.js';
import { RecentMessages } from './modules/connect/recent-messages.js';
import { LocalSeqAllocator, type SeqAllocator } from './modules/connect/seq-allocator.js';
import { LibraryService } from './modules/library/library.service.js';
import { unitById } from './modules/organisation/organisation.lookups.js';
import { OrganisationService } from './modules/organisation/organisation.service.js';
import { cbiAgency } from './modules/organisation/organisation.service.js';
import { TrainingService } from './modules/training/training.service.js';
import { installPortalPolicy } from './policies.js';
import { AudienceNotifier } from './realtime/audience.js';
import { SocketTerminator } from './realtime/terminator.js';
import { provideDirectory } from './sealed/directory.js';
import { askGroupsToShare } from './sealed/groups/share-signal.js';
import { FilesService } from './sealed/files/files.service.js';
import { SessionStore } from './sessions/session.service.js';

/** The portal's services, built once per process and shared by HTTP routes and socket handlers. */
export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly audit: AuditLog;
  readonly sealer: Sealer;
  readonly sessions: SessionStore;
  readonly sockets: SocketTerminator;
  readonly notifier: AudienceNotifier;
  readonly auth: AuthService;
  readonly enrolment: EnrolmentService;
  readonly accounts: AccountsService;
  readonly organisation: OrganisationService;
  readonly files: FilesService;
  readonly writer: MessageWriter;
  readonly connect: ConnectService;
  readonly messageChanges: MessageChanges;
  readonly references: ReferenceService;
  readonly notices: NoticeService;
  readonly library: LibraryService;
  readonly training: TrainingService;
  readonly broadcasts: BroadcastService;
}

/**
 * Builds the services for a configuration (the database must be connected); `database` says what
 * kind of server it is, where that changes how a query is best asked.
 */
export async function createServices(
  config: Config,
  logger: Logger,
  options: { seqs?: SeqAllocator; database?: DatabaseCapabilities } = {},
): Promise<Services> {
  // The sealed layer learns the hierarchy from the modules that keep it, without importing them.
  provideDirectory({
    activeMembers: activeAccounts,
    agencyOfUnit: async (unitId) => {
      const unit = await unitById(unitId);
      return unit ? String(unit.agency) : undefined;
    },
    accounts: accountsByIds,
    cbiAgencyId: async () => String((await cbiAgency())._id),
  });
  installPortalPolicy();
  const sealer = new Sealer(await resolveAppSecret(config));
  const audit = new AuditLog(logger);
  const sessions = new SessionStore(config.session, { scansForIds: options.database?.kind === 'ferretdb' });
  const sockets = new SocketTerminator();
  const auth = new AuthService(sealer, sessions, audit, sockets, KDF_ITERATIONS);
  const enrolment = new EnrolmentService(sealer, audit, auth);
  const accounts = new AccountsService(sessions, sockets, enrolment);
  const organisation = new OrganisationService();
  const files = new FilesService(config.maxFileBytes);
  // Recent messages are kept in memory only when this process is the one writing them all.
  const recent = options.seqs ? undefined : new RecentMessages();
  const writer = new MessageWriter(options.seqs ?? new LocalSeqAllocator(), logger, { recent });
  const connect = new ConnectService(writer, recent);
  const messageChanges = new MessageChanges(connect, recent);
  const notifier = new AudienceNotifier();
  const library = new LibraryService(notifier);
  const training = new TrainingService(notifier);
  const broadcasts = new BroadcastService(notifier, audit, config.broadcastReviewPriorities);
  const references = new ReferenceService(notifier, audit, config.referenceEscalationGraceMs, broadcasts, { readsById: options.database?.kind === 'ferretdb', discussions: connect });
  await references.prepare();
  const notices = new NoticeService(notifier, audit, training, config.referenceEscalationGraceMs, options.database?.kind === 'ferretdb');
  await notices.prepare();
  // An officer who just enrolled has a key and no group key yet: their groups' online members share theirs.
  onAccountChanged((event) => {
    if (event.change !== 'activated') return;
    void accountById(event.accountId)
      .then((account) => account && askGroupsToShare(notifier, { userId: account.id, role: account.role, agencyId: account.agency, unitId: account.unit }))
      .catch((error: unknown) => logger.warn({ err: error }, 'could not ask groups to share keys with a new officer'));
  });
  return { config, logger, audit, sealer, sessions, sockets, notifier, auth, enrolment, accounts, organisation, files, writer, connect, messageChanges, library, training, broadcasts, references, notices };
}
