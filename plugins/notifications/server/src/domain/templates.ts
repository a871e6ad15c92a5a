/**
 * Every message the platform sends, in English and Simplified Chinese: one template per message,
 * each a pure function of its payload giving a subject, a plain-text body and an HTML body.
 * Payload values are escaped in the HTML.
 */
import type { MessageLocale } from './locale';

export interface Rendered {
  subject: string;
  text: string;
  html: string;
}

/** The payload each template reads. Amounts arrive formatted (see money.ts); links absolute. */
export interface TemplatePayloads {
  /** `giftFor`: the recipient's address when the order is a gift (the buyer gets no access: no "start learning"). */
  'checkout.receipt': { courseTitle: string; amount: string; currency: string; orderId: string; link: string; giftFor?: string | null };
  'checkout.refund': { courseTitle: string; amount: string; orderId: string };
  /** A bundle's receipt: every course it opened, in the learner's language. */
  'checkout.bundle-receipt': { bundleTitle: string; courses: string[]; amount: string; currency: string; orderId: string; link: string; giftFor?: string | null };
  /** To a gift's buyer when its order is refunded: unclaimed, the gift is canceled and its code dead; claimed, the recipient's access ended. */
  'checkout.gift-refund': { title: string; recipientEmail: string; amount: string; orderId: string; claimed: boolean };
  /** To a gift's recipient (who may have no account yet): the claim code and where to claim it. */
  'checkout.gift': { title: string; buyerName: string | null; code: string; link: string };
  'subscription.started': { planName: string; periodEnd: string | null; link: string };
  'subscription.canceled': { planName: string; periodEnd: string | null; atPeriodEnd: boolean };
  /** `trialEnd`: YYYY-MM-DD; `converts`: false when the subscription is set to cancel at the trial's end (no charge). */
  'subscription.trial-ending': { planName: string; trialEnd: string | null; converts: boolean; link: string };
  /** `link`: Stripe's hosted invoice page (the platform's home when Stripe gave none); `retryOn`: YYYY-MM-DD of Stripe's next attempt. */
  'subscription.renewal-failed': { planName: string; amount: string | null; link: string; retryOn: string | null };
  'subscription.action-required': { planName: string; amount: string | null; link: string };
  'review.submitted': { courseTitle: string };
  'review.changes-requested': { courseTitle: string; comment: string | null };
  'review.approved': { courseTitle: string; link: string };
  /** To an editor: a submission waits in the review queue (`link`: the admin panel's review page). */
  'review.queued': { courseTitle: string; instructorName: string | null; revision: number; assigned: boolean; link: string };
  /** To the learner: `link` verifies the certificate publicly (`/api/certificates/:code`), `pdfLink` downloads it. */
  'learning.certificate': { courseTitle: string; completedOn: string; code: string; link: string; pdfLink: string };
  'community.new-review': { courseTitle: string; stars: number; link: string };
  'community.new-question': { courseTitle: string; link: string };
  'community.new-answer': { courseTitle: string; byInstructor: boolean; link: string };
  'account.password-reset': { link: string };
  'account.confirm': { link: string };
  'account.welcome': { name: string; link: string };
  /** A message another plugin handed to Strapi's email service, stored as it was given. */
  raw: { subject: string; text: string; html: string };
}

export type TemplateId = keyof TemplatePayloads;
export const TEMPLATE_IDS = [
  'checkout.receipt',
  'checkout.refund',
  'checkout.bundle-receipt',
  'checkout.gift',
  'checkout.gift-refund',
  'subscription.started',
  'subscription.canceled',
  'subscription.trial-ending',
  'subscription.renewal-failed',
  'subscription.action-required',
  'review.submitted',
  'review.changes-requested',
  'review.approved',
  'review.queued',
  'learning.certificate',
  'community.new-review',
  'community.new-question',
  'community.new-answer',
  'account.password-reset',
  'account.confirm',
  'account.welcome',
  'raw',
] as const satisfies readonly TemplateId[];

export function isTemplateId(value: string): value is TemplateId {
  return (TEMPLATE_IDS as readonly string[]).includes(value);
}

/** Escapes text for HTML. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A message as paragraphs and at most one button; text and HTML come from the same parts. */
interface Parts {
  subject: string;
  paragraphs: string[];
  action?: { label: string; href: string };
  footer: string;
}

function compose(p: Parts): Rendered {
  const text = [...p.paragraphs, ...(p.action ? [`${p.action.label}: ${p.action.href}`] : []), '--', p.footer].join('\n\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    ...p.paragraphs.map((para) => `<p>${escapeHtml(para).replace(/\n/g, '<br>')}</p>`),
    ...(p.action ? [`<p><a href="${escapeHtml(p.action.href)}">${escapeHtml(p.action.label)}</a></p>`] : []),
    `<p style="color:#666;font-size:12px">${escapeHtml(p.footer)}</p>`,
    '</body></html>',
  ].join('');
  return { subject: p.subject, text, html };
}

const FOOTER: Record<MessageLocale, string> = {
  en: 'You receive this e-mail because of your account on the Knowledge Platform.',
  'zh-Hans': '您收到此邮件是因为您在知识平台上的账户。',
};

/** What a gift's buyer is told instead of "start learning": who receives it, and where its code is. */
const giftLines: Record<MessageLocale, (giftFor: string | null | undefined) => string[]> = {
  en: (to) => (to ? [`This is a gift for ${to}: they have received a claim code by e-mail (it is also shown on your order). The course opens in their account once they claim it.`] : []),
  'zh-Hans': (to) => (to ? [`这是送给 ${to} 的礼物：对方已通过电子邮件收到兑换码（您的订单中也可查看）。对方兑换后，课程将在其账户中开放。`] : []),
};

type Renderers = { [K in TemplateId]: Record<MessageLocale, (p: TemplatePayloads[K]) => Parts | Rendered> };

const RENDERERS: Renderers = {
  'checkout.receipt': {
    en: (p) => ({
      subject: `Your receipt: ${p.courseTitle}`,
      paragraphs: [`Thank you for your purchase.`, `Course: ${p.courseTitle}\nAmount: ${p.amount} (${p.currency.toUpperCase()})\nOrder: ${p.orderId}`, ...giftLines.en(p.giftFor)],
      ...(p.giftFor ? {} : { action: { label: 'Start learning', href: p.link } }),
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `购买收据：${p.courseTitle}`,
      paragraphs: ['感谢您的购买。', `课程：${p.courseTitle}\n金额：${p.amount}（${p.currency.toUpperCase()}）\n订单号：${p.orderId}`, ...giftLines['zh-Hans'](p.giftFor)],
      ...(p.giftFor ? {} : { action: { label: '开始学习', href: p.link } }),
      footer: FOOTER['zh-Hans'],
    }),
  },
  'checkout.refund': {
    en: (p) => ({
      subject: `Refund issued: ${p.courseTitle}`,
      paragraphs: [`We refunded ${p.amount} for order ${p.orderId}.`, `Your access to "${p.courseTitle}" has ended.`],
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `退款已完成：${p.courseTitle}`,
      paragraphs: [`订单 ${p.orderId} 已退款 ${p.amount}。`, `您对《${p.courseTitle}》的访问权限已结束。`],
      footer: FOOTER['zh-Hans'],
    }),
  },
  'checkout.bundle-receipt': {
    en: (p) => ({
      subject: `Your receipt: ${p.bundleTitle}`,
      paragraphs: [
        'Thank you for your purchase.',
        `Bundle: ${p.bundleTitle}\nAmount: ${p.amount} (${p.currency.toUpperCase()})\nOrder: ${p.orderId}`,
        `It opens ${p.courses.length === 1 ? 'one course' : `${p.courses.length} courses`}:\n${p.courses.map((c) => `- ${c}`).join('\n')}`,
        ...giftLines.en(p.giftFor),
      ],
      ...(p.giftFor ? {} : { action: { label: 'Start learning', href: p.link } }),
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `购买收据：${p.bundleTitle}`,
      paragraphs: [
        '感谢您的购买。',
        `课程套装：${p.bundleTitle}\n金额：${p.amount}（${p.currency.toUpperCase()}）\n订单号：${p.orderId}`,
        `包含 ${p.courses.length} 门课程：\n${p.courses.map((c) => `- ${c}`).join('\n')}`,
        ...giftLines['zh-Hans'](p.giftFor),
      ],
      ...(p.giftFor ? {} : { action: { label: '开始学习', href: p.link } }),
      footer: FOOTER['zh-Hans'],
    }),
  },
  'checkout.gift-refund': {
    en: (p) => ({
      subject: `Refund issued: your gift of ${p.title}`,
      paragraphs: [
        `We refunded ${p.amount} for order ${p.orderId}.`,
        p.claimed
          ? `${p.recipientEmail} had already claimed the gift of "${p.title}": their access to it has ended.`
          : `Your gift of "${p.title}" to ${p.recipientEmail} is canceled: its claim code no longer works.`,
      ],
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `退款已完成：您赠送的《${p.title}》`,
      paragraphs: [
        `订单 ${p.orderId} 已退款 ${p.amount}。`,
        p.claimed ? `${p.recipientEmail} 已领取您赠送的《${p.title}》，其访问权限已结束。` : `您送给 ${p.recipientEmail} 的《${p.title}》礼物已取消，领取码已失效。`,
      ],
      footer: FOOTER['zh-Hans'],
    }),
  },
  'checkout.gift': {
    en: (p) => ({
      subject: `A gift for you: ${p.title}`,
      paragraphs: [
        `${p.buyerName ?? 'Someone'} gave you "${p.title}" on the Knowledge Platform.`,
        `Your claim code: ${p.code}\nSign in (or create an account) and enter the code to open the course. It can be claimed once.`,
      ],
      action: { label: 'Claim your gift', href: p.link },
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `送给你的礼物：${p.title}`,
      paragraphs: [`${p.buyerName ?? '有人'}在知识平台上送给你《${p.title}》。`, `你的领取码：${p.code}\n登录（或注册账号）后输入领取码即可开通课程。领取码只能使用一次。`],
      action: { label: '领取礼物', href: p.link },
      footer: FOOTER['zh-Hans'],
    }),
  },
  'subscription.started': {
    en: (p) => ({
      subject: `Your subscription has started: ${p.planName}`,
      paragraphs: [`Welcome to ${p.planName}.`, ...(p.periodEnd ? [`It renews on ${p.periodEnd}.`] : [])],
      action: { label: 'Browse courses', href: p.link },
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `订阅已开始：${p.planName}`,
      paragraphs: [`欢迎加入 ${p.planName}。`, ...(p.periodEnd ? [`续订日期：${p.periodEnd}。`] : [])],
      action: { label: '浏览课程', href: p.link },
      footer: FOOTER['zh-Hans'],
    }),
  },
  'subscription.canceled': {
    en: (p) => ({
      subject: `Your subscription is canceled: ${p.planName}`,
      paragraphs: [p.atPeriodEnd && p.periodEnd ? `${p.planName} ends on ${p.periodEnd}; you keep access until then.` : `${p.planName} has ended, and with it your access to its courses.`],
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `订阅已取消：${p.planName}`,
      paragraphs: [p.atPeriodEnd && p.periodEnd ? `${p.planName} 将于 ${p.periodEnd} 结束，在此之前您仍可访问。` : `${p.planName} 已结束，其课程的访问权限随之结束。`],
      footer: FOOTER['zh-Hans'],
    }),
  },
  'subscription.trial-ending': {
    en: (p) => ({
      subject: `Your free trial ends soon: ${p.planName}`,
      paragraphs: [
        p.converts
          ? `Your free trial of ${p.planName} ends${p.trialEnd ? ` on ${p.trialEnd}` : ' soon'}. Your subscription then starts and your card is charged for the first period.`
          : `Your free trial of ${p.planName} ends${p.trialEnd ? ` on ${p.trialEnd}` : ' soon'}. Your subscription is set to end with it: nothing will be charged, and your access ends then.`,
        p.converts ? 'To stop before the first payment, cancel before that date.' : 'To keep your access, resume the subscription before that date.',
      ],
      action: { label: 'Manage your subscription', href: p.link },
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `免费试用即将结束：${p.planName}`,
      paragraphs: [
        p.converts
          ? `您的 ${p.planName} 免费试用将于${p.trialEnd ? ` ${p.trialEnd} ` : '近期'}结束，届时订阅开始，并从您的银行卡扣取首期费用。`
          : `您的 ${p.planName} 免费试用将于${p.trialEnd ? ` ${p.trialEnd} ` : '近期'}结束，订阅将随之结束：不会扣费，访问权限届时结束。`,
        p.converts ? '如不想付费，请在该日期前取消订阅。' : '如需继续访问，请在该日期前恢复订阅。',
      ],
      action: { label: '管理订阅', href: p.link },
      footer: FOOTER['zh-Hans'],
    }),
  },
  'subscription.renewal-failed': {
    en: (p) => ({
      subject: `Renewal failed: ${p.planName}`,
      paragraphs: [
        `We could not collect the ${p.amount ? `${p.amount} ` : ''}renewal of ${p.planName}.`,
        p.retryOn ? `We will try again on ${p.retryOn}. Pay now or update your card to keep your access.` : 'Pay the invoice or update your card to keep your access.',
      ],
      action: { label: 'Pay the invoice', href: p.link },
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `续订付款未成功：${p.planName}`,
      paragraphs: [
        `您的 ${p.planName} 订阅${p.amount ? `（${p.amount}）` : ''}续订扣款未成功。`,
        p.retryOn ? `我们将于 ${p.retryOn} 再次尝试。请立即付款或更新银行卡，以免失去访问权限。` : '请支付账单或更新银行卡，以免失去访问权限。',
      ],
      action: { label: '支付账单', href: p.link },
      footer: FOOTER['zh-Hans'],
    }),
  },
  'subscription.action-required': {
    en: (p) => ({
      subject: `Payment to confirm: ${p.planName}`,
      paragraphs: [
        `Your bank asks you to confirm the ${p.amount ? `${p.amount} ` : ''}renewal of ${p.planName} (3-D Secure).`,
        'Confirm it on the secure payment page to keep your access.',
      ],
      action: { label: 'Confirm the payment', href: p.link },
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `请确认付款：${p.planName}`,
      paragraphs: [`您的银行要求您确认 ${p.planName} 订阅${p.amount ? `（${p.amount}）` : ''}的续订付款（3-D Secure 验证）。`, '请在安全付款页面完成确认，以免失去访问权限。'],
      action: { label: '确认付款', href: p.link },
      footer: FOOTER['zh-Hans'],
    }),
  },
  'review.submitted': {
    en: (p) => ({ subject: `Submission received: ${p.courseTitle}`, paragraphs: [`"${p.courseTitle}" is in the review queue. An editor will look at it soon.`], footer: FOOTER.en }),
    'zh-Hans': (p) => ({ subject: `已收到提交：${p.courseTitle}`, paragraphs: [`《${p.courseTitle}》已进入审核队列，编辑会尽快处理。`], footer: FOOTER['zh-Hans'] }),
  },
  'review.changes-requested': {
    en: (p) => ({
      subject: `Changes requested: ${p.courseTitle}`,
      paragraphs: [`An editor asked for changes to "${p.courseTitle}".`, ...(p.comment ? [`Editor's note:\n${p.comment}`] : [])],
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `需要修改：${p.courseTitle}`,
      paragraphs: [`编辑要求修改《${p.courseTitle}》。`, ...(p.comment ? [`编辑的意见：\n${p.comment}`] : [])],
      footer: FOOTER['zh-Hans'],
    }),
  },
  'review.approved': {
    en: (p) => ({ subject: `Approved and published: ${p.courseTitle}`, paragraphs: [`"${p.courseTitle}" was approved and is now published.`], action: { label: 'See it live', href: p.link }, footer: FOOTER.en }),
    'zh-Hans': (p) => ({ subject: `已通过并发布：${p.courseTitle}`, paragraphs: [`《${p.courseTitle}》已通过审核并发布。`], action: { label: '查看课程', href: p.link }, footer: FOOTER['zh-Hans'] }),
  },
  'review.queued': {
    en: (p) => ({
      subject: `${p.revision > 1 ? 'Resubmitted' : 'New submission'} for review: ${p.courseTitle}`,
      paragraphs: [
        `"${p.courseTitle}"${p.instructorName ? ` by ${p.instructorName}` : ''} is waiting in the review queue${p.revision > 1 ? ` (revision ${p.revision})` : ''}.`,
        p.assigned ? 'It is yours: you took it in the review queue.' : 'Nobody has taken it yet.',
      ],
      action: { label: 'Open the review queue', href: p.link },
      footer: 'You receive this e-mail as an editor of the Knowledge Platform.',
    }),
    'zh-Hans': (p) => ({
      subject: `${p.revision > 1 ? '重新提交' : '新的提交'}待审核：${p.courseTitle}`,
      paragraphs: [`《${p.courseTitle}》${p.instructorName ? `（讲师：${p.instructorName}）` : ''}正在审核队列中等待${p.revision > 1 ? `（第 ${p.revision} 次提交）` : ''}。`, p.assigned ? '它由您负责：您曾在审核队列中认领它。' : '尚无编辑认领。'],
      action: { label: '打开审核队列', href: p.link },
      footer: '您收到此邮件是因为您是知识平台的编辑。',
    }),
  },
  'learning.certificate': {
    en: (p) => ({
      subject: `Your certificate: ${p.courseTitle}`,
      paragraphs: [
        `Congratulations! You completed "${p.courseTitle}" on ${p.completedOn}, and your certificate is issued.`,
        `Certificate code: ${p.code}\nAnyone can check it at ${p.link}\nPDF: ${p.pdfLink}`,
      ],
      action: { label: 'Verify your certificate', href: p.link },
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `您的结业证书：${p.courseTitle}`,
      paragraphs: [`恭喜！您已于 ${p.completedOn} 完成《${p.courseTitle}》，结业证书已颁发。`, `证书编号：${p.code}\n任何人都可在此验证：${p.link}\nPDF：${p.pdfLink}`],
      action: { label: '验证证书', href: p.link },
      footer: FOOTER['zh-Hans'],
    }),
  },
  'community.new-review': {
    en: (p) => ({ subject: `New review of ${p.courseTitle}`, paragraphs: [`A learner rated "${p.courseTitle}" ${p.stars} of 5. You can reply to the review once, publicly.`], action: { label: 'Read the review', href: p.link }, footer: FOOTER.en }),
    'zh-Hans': (p) => ({ subject: `《${p.courseTitle}》有新评价`, paragraphs: [`一位学员给《${p.courseTitle}》打了 ${p.stars} 星（满分 5 星）。你可以公开回复一次。`], action: { label: '查看评价', href: p.link }, footer: FOOTER['zh-Hans'] }),
  },
  'community.new-question': {
    en: (p) => ({ subject: `New question on ${p.courseTitle}`, paragraphs: [`A learner asked a question about "${p.courseTitle}".`], action: { label: 'Answer it', href: p.link }, footer: FOOTER.en }),
    'zh-Hans': (p) => ({ subject: `《${p.courseTitle}》有新提问`, paragraphs: [`一位学员就《${p.courseTitle}》提了一个问题。`], action: { label: '去回答', href: p.link }, footer: FOOTER['zh-Hans'] }),
  },
  'community.new-answer': {
    en: (p) => ({
      subject: `Your question on ${p.courseTitle} has an answer`,
      paragraphs: [p.byInstructor ? `The instructor of "${p.courseTitle}" answered your question.` : `Another learner answered your question about "${p.courseTitle}".`],
      action: { label: 'Read the answer', href: p.link },
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `你在《${p.courseTitle}》的提问有了回答`,
      paragraphs: [p.byInstructor ? `《${p.courseTitle}》的讲师回答了你的问题。` : `另一位学员回答了你关于《${p.courseTitle}》的问题。`],
      action: { label: '查看回答', href: p.link },
      footer: FOOTER['zh-Hans'],
    }),
  },
  'account.password-reset': {
    en: (p) => ({
      subject: 'Reset your password',
      paragraphs: ['Someone asked to reset the password of your account. If it was you, choose a new password with the link below. If not, ignore this e-mail: your password stays as it is.'],
      action: { label: 'Choose a new password', href: p.link },
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: '重置您的密码',
      paragraphs: ['有人请求重置您账户的密码。如果是您本人，请通过下面的链接设置新密码；如果不是，请忽略此邮件，您的密码不会改变。'],
      action: { label: '设置新密码', href: p.link },
      footer: FOOTER['zh-Hans'],
    }),
  },
  'account.confirm': {
    en: (p) => ({ subject: 'Confirm your e-mail address', paragraphs: ['Welcome! Confirm your e-mail address to finish creating your account.'], action: { label: 'Confirm my address', href: p.link }, footer: FOOTER.en }),
    'zh-Hans': (p) => ({ subject: '确认您的邮箱地址', paragraphs: ['欢迎！请确认您的邮箱地址以完成注册。'], action: { label: '确认邮箱', href: p.link }, footer: FOOTER['zh-Hans'] }),
  },
  'account.welcome': {
    en: (p) => ({ subject: 'Welcome to the Knowledge Platform', paragraphs: [`Welcome, ${p.name}! Your account is ready.`], action: { label: 'Browse courses', href: p.link }, footer: FOOTER.en }),
    'zh-Hans': (p) => ({ subject: '欢迎来到知识平台', paragraphs: [`欢迎你，${p.name}！你的账号已创建。`], action: { label: '浏览课程', href: p.link }, footer: FOOTER['zh-Hans'] }),
  },
  raw: {
    en: (p) => ({ subject: p.subject, text: p.text, html: p.html }),
    'zh-Hans': (p) => ({ subject: p.subject, text: p.text, html: p.html }),
  },
};

/** Renders `template` in `locale`. */
export function renderTemplate<K extends TemplateId>(template: K, locale: MessageLocale, payload: TemplatePayloads[K]): Rendered {
  const out = RENDERERS[template][locale](payload);
  return 'paragraphs' in out ? compose(out) : out;
}

/** Sample payloads, for an editor's preview of every template. */
export const SAMPLE_PAYLOADS: TemplatePayloads = {
  'checkout.receipt': { courseTitle: 'Sample course', amount: '$19.99', currency: 'usd', orderId: 'o1a2b3c4d5e6f7g8h9i0j1k2', link: 'http://localhost:1337/#/library' },
  'checkout.refund': { courseTitle: 'Sample course', amount: '$19.99', orderId: 'o1a2b3c4d5e6f7g8h9i0j1k2' },
  'checkout.bundle-receipt': { bundleTitle: 'Sample bundle', courses: ['Sample course', 'Another course'], amount: '$49.00', currency: 'usd', orderId: 'o1a2b3c4d5e6f7g8h9i0j1k2', link: 'http://localhost:1337/#/library' },
  'checkout.gift-refund': { title: 'Sample course', recipientEmail: 'friend@example.com', amount: '$19.99', orderId: 'o1a2b3c4d5e6f7g8h9i0j1k2', claimed: false },
  'checkout.gift': { title: 'Sample course', buyerName: 'Lin', code: 'K7Q2-9XMB-4TRD-Z1HP-6WNC', link: 'http://localhost:1337/#/gift?code=K7Q2-9XMB-4TRD-Z1HP-6WNC' },
  'subscription.started': { planName: 'All access', periodEnd: '2026-12-31', link: 'http://localhost:1337/#/' },
  'subscription.canceled': { planName: 'All access', periodEnd: '2026-12-31', atPeriodEnd: true },
  'subscription.trial-ending': { planName: 'All access', trialEnd: '2026-12-31', converts: true, link: 'http://localhost:1337/#/library' },
  'subscription.renewal-failed': { planName: 'All access', amount: '$9.00', link: 'https://invoice.stripe.com/i/sample', retryOn: '2026-12-05' },
  'subscription.action-required': { planName: 'All access', amount: '$9.00', link: 'https://invoice.stripe.com/i/sample' },
  'review.submitted': { courseTitle: 'Sample course' },
  'review.changes-requested': { courseTitle: 'Sample course', comment: 'Please add a preview chapter.' },
  'review.approved': { courseTitle: 'Sample course', link: 'http://localhost:1337/#/course/sample' },
  'review.queued': { courseTitle: 'Sample course', instructorName: 'Ada Lovelace', revision: 1, assigned: false, link: 'http://localhost:1337/admin/plugins/review' },
  'learning.certificate': { courseTitle: 'Sample course', completedOn: '2026-12-01', code: 'q7XkR2mZ9vLpW4tYb8NcHd3F', link: 'http://localhost:1337/api/certificates/q7XkR2mZ9vLpW4tYb8NcHd3F', pdfLink: 'http://localhost:1337/api/certificates/q7XkR2mZ9vLpW4tYb8NcHd3F/pdf' },
  'community.new-review': { courseTitle: 'Sample course', stars: 5, link: 'http://localhost:1337/#/course/sample' },
  'community.new-question': { courseTitle: 'Sample course', link: 'http://localhost:1337/#/course/sample' },
  'community.new-answer': { courseTitle: 'Sample course', byInstructor: true, link: 'http://localhost:1337/#/course/sample' },
  'account.password-reset': { link: 'http://localhost:1337/#/reset-password?code=sample' },
  'account.confirm': { link: 'http://localhost:1337/api/auth/email-confirmation?confirmation=sample' },
  'account.welcome': { name: 'Lin', link: 'http://localhost:1337/#/' },
  raw: { subject: 'A message', text: 'Plain text', html: '<p>HTML</p>' },
};
