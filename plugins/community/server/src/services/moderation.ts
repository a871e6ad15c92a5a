/**
 * Moderation: learners report posts; editors list reported, recent and hidden posts, hide (with a
 * reason: the post leaves every public answer, its author still sees it and why), restore, and
 * block or unblock an author. Every editor action writes an audit row in the same transaction as
 * its effect; hiding a review recomputes its course's rating in that transaction too.
 */
import type { Core } from '@strapi/strapi';
import { USER_UID, httpError, isUniqueViolation, modelNames, qualifiedTable, rawConnection } from '@kp/platform';
import { ANSWER_UID, BLOCK_UID, MODERATION_EVENT_UID, POST_UIDS, QUESTION_UID, REPORT_UID, REVIEW_UID, type PostKind } from '../constants';
import { normalizeText } from '../domain/text';
import { getService } from '../utils';
import type { CommunityModerationEvent, CommunityModerationItem } from '@kp/platform/contracts';
import type { Learner } from './reviews';

export interface Editor {
  id: number;
  firstname?: string | null;
  lastname?: string | null;
  email?: string | null;
}

type Stamp = Date | string;
const iso = (v: Stamp | null | undefined): string | null => (v === null || v === undefined ? null : new Date(v).toISOString());

interface PostRow {
  id: number;
  userId: number;
  authorName: string | null;
  text: string | null;
  state: 'visible' | 'hidden';
  hiddenReason: string | null;
  createdAt: Stamp;
  courseDocumentId?: string;
  chapterDocumentId?: string | null;
  questionId?: number;
  stars?: number;
}

const SELECT: Record<PostKind, string[]> = {
  review: ['id', 'userId', 'authorName', 'text', 'state', 'hiddenReason', 'createdAt', 'courseDocumentId', 'stars'],
  question: ['id', 'userId', 'authorName', 'text', 'state', 'hiddenReason', 'createdAt', 'courseDocumentId', 'chapterDocumentId'],
  answer: ['id', 'userId', 'authorName', 'text', 'state', 'hiddenReason', 'createdAt', 'questionId'],
};

export type ItemFilter = 'reported' | 'recent' | 'hidden';

function editorName(e: Editor): string {
  const name = [e.firstname, e.lastname].filter(Boolean).join(' ').trim();
  return name || e.email || `admin #${e.id}`;
}

export default ({ strapi }: { strapi: Core.Strapi }) => {
  const reports = () => strapi.db.query(REPORT_UID);
  const audit = () => strapi.db.query(MODERATION_EVENT_UID);
  const blocks = () => strapi.db.query(BLOCK_UID);
  const posts = () => getService(strapi, 'posts');

  async function record(editor: Editor, action: 'hide' | 'restore' | 'block' | 'unblock', targetType: PostKind | 'user', targetId: number, reason: string | null, now: Date) {
    await audit().create({ data: { ...posts().newRow(now), action, targetType, targetId, adminId: editor.id, adminName: editorName(editor), reason } });
  }

  /** Unresolved report counts per item, one GROUP BY. */
  async function reportCounts(kind: PostKind, ids: number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (ids.length === 0) return out;
    const R = modelNames(strapi, REPORT_UID);
    const rows = (await rawConnection(strapi)(qualifiedTable(strapi, R.table))
      .select({ id: R.col('targetId') })
      .count({ n: '*' })
      .where(R.col('targetType'), kind)
      .whereIn(R.col('targetId'), ids)
      .whereNull(R.col('resolvedAt'))
      .groupBy(R.col('targetId'))) as Array<{ id: number | string; n: number | string }>;
    for (const r of rows) out.set(Number(r.id), Number(r.n));
    return out;
  }

  async function blockedAmong(userIds: number[]): Promise<Set<number>> {
    if (userIds.length === 0) return new Set();
    const rows = (await blocks().findMany({ where: { userId: { $in: [...new Set(userIds)] } }, select: ['userId'] })) as Array<{ userId: number }>;
    return new Set(rows.map((r) => r.userId));
  }

  async function views(kind: PostKind, rows: PostRow[]): Promise<CommunityModerationItem[]> {
    const [counts, blocked] = await Promise.all([reportCounts(kind, rows.map((r) => r.id)), blockedAmong(rows.map((r) => r.userId))]);
    return rows.map((r): CommunityModerationItem => ({
      kind,
      id: r.id,
      text: r.text ?? null,
      stars: r.stars ?? null,
      courseDocumentId: r.courseDocumentId ?? null,
      chapterDocumentId: r.chapterDocumentId ?? null,
      questionId: r.questionId ?? null,
      author: { userId: r.userId, name: r.authorName ?? null, blocked: blocked.has(r.userId) },
      state: r.state,
      hiddenReason: r.hiddenReason ?? null,
      openReports: counts.get(r.id) ?? 0,
      createdAt: iso(r.createdAt)!,
    }));
  }

  type ItemView = CommunityModerationItem;

  async function loadItem(kind: PostKind, id: number): Promise<PostRow | null> {
    return (await strapi.db.query(POST_UIDS[kind]).findOne({ where: { id }, select: SELECT[kind] })) as PostRow | null;
  }

  async function setState(kind: PostKind, id: number, state: 'visible' | 'hidden', reason: string | null, now: Date) {
    if (kind === 'review') return getService(strapi, 'reviews').setState(id, state, reason, now);
    return getService(strapi, 'questions').setState(kind, id, state, reason, now);
  }

  return {
    /** A learner reports a post they can see; reporting it again changes nothing. */
    async report(learner: Learner, input: { targetType: PostKind; targetId: number; reason: string; note?: string }, now: Date) {
      const item = await loadItem(input.targetType, input.targetId);
      let visible = item !== null && item.state === 'visible';
      if (visible && input.targetType !== 'review') {
        const questionId = input.targetType === 'question' ? input.targetId : item!.questionId!;
        visible = await getService(strapi, 'questions')
          .findOne(learner.id, questionId, now)
          .then(() => true)
          .catch(() => false);
      }
      if (!visible) throw httpError(404, `No visible ${input.targetType} has this id.`);
      const existing = (await reports().findOne({ where: { userId: learner.id, targetType: input.targetType, targetId: input.targetId }, select: ['id'] })) as { id: number } | null;
      if (existing) return { id: existing.id, created: false };
      try {
        const row = (await reports().create({
          data: { ...posts().newRow(now), userId: learner.id, targetType: input.targetType, targetId: input.targetId, reason: input.reason, note: input.note ? normalizeText(input.note) : null },
          select: ['id'],
        })) as { id: number };
        return { id: row.id, created: true };
      } catch (error) {
        if (isUniqueViolation(error)) return { id: 0, created: false };
        throw error;
      }
    },

    /** Reported (most reports first), recent or hidden posts of one kind or all. */
    async items(opts: { filter: ItemFilter; kind: PostKind | 'all'; page: number; pageSize: number }): Promise<{ data: ItemView[]; total: number }> {
      const kinds: PostKind[] = opts.kind === 'all' ? ['review', 'question', 'answer'] : [opts.kind];
      const want = opts.page * opts.pageSize;
      if (opts.filter === 'reported') {
        const R = modelNames(strapi, REPORT_UID);
        const k = rawConnection(strapi);
        const table = qualifiedTable(strapi, R.table);
        const base = () => k(table).whereNull(R.col('resolvedAt')).whereIn(R.col('targetType'), kinds);
        const groups = (await base()
          .select({ kind: R.col('targetType'), id: R.col('targetId') })
          .count({ n: '*' })
          .max({ last: R.col('createdAt') })
          .groupBy(R.col('targetType'), R.col('targetId'))
          .orderBy([{ column: 'n', order: 'desc' }, { column: 'last', order: 'desc' }])
          .limit(opts.pageSize)
          .offset((opts.page - 1) * opts.pageSize)) as Array<{ kind: PostKind; id: number | string; n: number | string }>;
        const totalRow = (await k.count({ n: '*' }).from(base().distinct(R.col('targetType'), R.col('targetId')).as('t')).first()) as { n: number | string } | undefined;
        const out: ItemView[] = [];
        for (const kind of kinds) {
          const ids = groups.filter((g) => g.kind === kind).map((g) => Number(g.id));
          if (ids.length === 0) continue;
          const rows = (await strapi.db.query(POST_UIDS[kind]).findMany({ where: { id: { $in: ids } }, select: SELECT[kind] })) as PostRow[];
          for (const view of await views(kind, rows)) out.push(view);
        }
        const order = new Map(groups.map((g, i) => [`${g.kind}:${Number(g.id)}`, i]));
        out.sort((a, b) => (order.get(`${a.kind}:${a.id}`) ?? 0) - (order.get(`${b.kind}:${b.id}`) ?? 0));
        return { data: out, total: Number(totalRow?.n ?? 0) };
      }
      const where = opts.filter === 'hidden' ? { state: 'hidden' } : {};
      const lists = await Promise.all(
        kinds.map(async (kind) => {
          const rows = (await strapi.db.query(POST_UIDS[kind]).findMany({ where, select: SELECT[kind], orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: want })) as PostRow[];
          const total = await strapi.db.query(POST_UIDS[kind]).count({ where });
          return { kind, rows, total };
        })
      );
      const merged = lists
        .flatMap((l) => l.rows.map((row) => ({ kind: l.kind, row })))
        .sort((a, b) => new Date(b.row.createdAt).getTime() - new Date(a.row.createdAt).getTime())
        .slice((opts.page - 1) * opts.pageSize, want);
      const data: ItemView[] = [];
      for (const kind of kinds) {
        const rows = merged.filter((m) => m.kind === kind).map((m) => m.row);
        if (rows.length > 0) for (const view of await views(kind, rows)) data.push(view);
      }
      data.sort((a, b) => new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime());
      return { data, total: lists.reduce((a, l) => a + l.total, 0) };
    },

    /** Hides (with a reason) or restores a post; resolves its open reports; audited. */
    async moderate(editor: Editor, kind: PostKind, id: number, action: 'hide' | 'restore', reason: string | null, now: Date) {
      const before = await loadItem(kind, id);
      if (!before) throw httpError(404, `No ${kind} has this id.`);
      const state = action === 'hide' ? 'hidden' : 'visible';
      const changed = before.state !== state || (action === 'hide' && before.hiddenReason !== reason);
      await strapi.db.transaction(async () => {
        await setState(kind, id, state, reason, now);
        await reports().updateMany({ where: { targetType: kind, targetId: id, resolvedAt: { $null: true } }, data: { resolvedAt: now } });
        await record(editor, action, kind, id, reason, now);
      });
      const after = (await loadItem(kind, id))!;
      return { item: (await views(kind, [after]))[0]!, changed };
    },

    async block(editor: Editor, userId: number, reason: string | null, now: Date) {
      const user = await strapi.db.query(USER_UID).findOne({ where: { id: userId }, select: ['id'] });
      if (!user) throw httpError(404, 'No user has this id.');
      const existing = await blocks().findOne({ where: { userId }, select: ['id'] });
      if (existing) return { userId, blocked: true, changed: false };
      try {
        await strapi.db.transaction(async () => {
          await blocks().create({ data: { ...posts().newRow(now), userId, reason, adminId: editor.id } });
          await record(editor, 'block', 'user', userId, reason, now);
        });
      } catch (error) {
        if (isUniqueViolation(error)) return { userId, blocked: true, changed: false };
        throw error;
      }
      return { userId, blocked: true, changed: true };
    },

    async unblock(editor: Editor, userId: number, now: Date) {
      const existing = await blocks().findOne({ where: { userId }, select: ['id'] });
      if (!existing) return { userId, blocked: false, changed: false };
      await strapi.db.transaction(async () => {
        await blocks().delete({ where: { userId } });
        await record(editor, 'unblock', 'user', userId, null, now);
      });
      return { userId, blocked: false, changed: true };
    },

    /** The audit trail, newest first. */
    async events(opts: { page: number; pageSize: number }) {
      const [rows, total] = await Promise.all([
        audit().findMany({
          select: ['id', 'action', 'targetType', 'targetId', 'adminId', 'adminName', 'reason', 'createdAt'],
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          limit: opts.pageSize,
          offset: (opts.page - 1) * opts.pageSize,
        }) as Promise<Array<Omit<CommunityModerationEvent, 'createdAt'> & { createdAt: Stamp }>>,
        audit().count({}),
      ]);
      return { data: rows.map((r): CommunityModerationEvent => ({ ...r, adminId: r.adminId ?? null, adminName: r.adminName ?? null, reason: r.reason ?? null, createdAt: iso(r.createdAt)! })), total };
    },
  };
};
