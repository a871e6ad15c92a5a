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
  'checkout.receipt': { courseTitle: string; amount: string; currency: string; orderId: string; link: string };
  'checkout.refund': { courseTitle: string; amount: string; orderId: string };
  /** To a gift's recipient (who may have no account yet): the claim code and where to claim it. */
  'checkout.gift': { title: string; buyerName: string | null; code: string; link: string };
  'subscription.started': { planName: string; periodEnd: string | null; link: string };
  'subscription.canceled': { planName: string; periodEnd: string | null; atPeriodEnd: boolean };
  /** `link`: Stripe's hosted invoice page (the platform's home when Stripe gave none); `retryOn`: YYYY-MM-DD of Stripe's next attempt. */
  'subscription.renewal-failed': { planName: string; amount: string | null; link: string; retryOn: string | null };
  'subscription.action-required': { planName: string; amount: string | null; link: string };
  'review.submitted': { courseTitle: string };
  'review.changes-requested': { courseTitle: string; comment: string | null };
  'review.approved': { courseTitle: string; link: string };
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
  'checkout.gift',
  'subscription.started',
  'subscription.canceled',
  'subscription.renewal-failed',
  'subscription.action-required',
  'review.submitted',
  'review.changes-requested',
  'review.approved',
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

type Renderers = { [K in TemplateId]: Record<MessageLocale, (p: TemplatePayloads[K]) => Parts | Rendered> };

const RENDERERS: Renderers = {
  'checkout.receipt': {
    en: (p) => ({
      subject: `Your receipt: ${p.courseTitle}`,
      paragraphs: [`Thank you for your purchase.`, `Course: ${p.courseTitle}\nAmount: ${p.amount} (${p.currency.toUpperCase()})\nOrder: ${p.orderId}`],
      action: { label: 'Start learning', href: p.link },
      footer: FOOTER.en,
    }),
    'zh-Hans': (p) => ({
      subject: `购买收据：${p.courseTitle}`,
      paragraphs: ['感谢您的购买。', `课程：${p.courseTitle}\n金额：${p.amount}（${p.currency.toUpperCase()}）\n订单号：${p.orderId}`],
      action: { label: '开始学习', href: p.link },
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
  'checkout.gift': { title: 'Sample course', buyerName: 'Lin', code: 'K7Q2-9XMB-4TRD-Z1HP-6WNC', link: 'http://localhost:1337/#/gift?code=K7Q2-9XMB-4TRD-Z1HP-6WNC' },
  'subscription.started': { planName: 'All access', periodEnd: '2026-12-31', link: 'http://localhost:1337/#/' },
  'subscription.canceled': { planName: 'All access', periodEnd: '2026-12-31', atPeriodEnd: true },
  'subscription.renewal-failed': { planName: 'All access', amount: '$9.00', link: 'https://invoice.stripe.com/i/sample', retryOn: '2026-12-05' },
  'subscription.action-required': { planName: 'All access', amount: '$9.00', link: 'https://invoice.stripe.com/i/sample' },
  'review.submitted': { courseTitle: 'Sample course' },
  'review.changes-requested': { courseTitle: 'Sample course', comment: 'Please add a preview chapter.' },
  'review.approved': { courseTitle: 'Sample course', link: 'http://localhost:1337/#/course/sample' },
  'community.new-review': { courseTitle: 'Sample course', stars: 5, link: 'http://localhost:1337/#/course/sample' },
  'community.new-question': { courseTitle: 'Sample course', link: 'http://localhost:1337/#/course/sample' },
  'community.new-answer': { courseTitle: 'Sample course', byInstructor: true, link: 'http://localhost:1337/#/course/sample' },
  'account.password-reset': { link: 'http://localhost:1337/#/reset-password?code=sample' },
  'account.confirm': { link: 'http://localhost:1337/api/auth/email-confirmation?confirmation=sample' },
  'account.welcome': { name: 'Lin', link: 'http://localhost:1337/#/' },
  raw: { subject: 'A message', text: 'Plain text', html: '<p>HTML</p>' },
};
