/**
 * Interface language and formatting. The same locale codes as the API (`en`, `zh-Hans`): the
 * switch changes both these strings and the `locale` every catalogue request sends.
 */

export const LOCALES = /** @type {const} */ (['en', 'zh-Hans']);
const LOCALE_KEY = 'kp.locale';

/** @typedef {'en' | 'zh-Hans'} Locale */

/** @type {Record<Locale, Record<string, string>>} */
const STRINGS = {
  en: {
    'app.name': 'Lumen Courses',
    'app.tagline': 'Short, practical courses by people who do the work.',
    'nav.skip': 'Skip to content',
    'nav.main': 'Main',
    'nav.catalogue': 'Catalogue',
    'nav.plans': 'Plans',
    'nav.library': 'My library',
    'nav.login': 'Log in',
    'nav.register': 'Sign up',
    'nav.logout': 'Log out',
    'nav.language': 'Language',
    'nav.currency': 'Currency',
    'currency.courseDefault': 'Each course’s own',
    'nav.breadcrumb': 'Breadcrumb',
    'nav.signedInAs': 'Signed in as {name}',
    'footer.text': 'A storefront built only on the platform’s public REST API.',
    'footer.admin': 'Admin panel',
    'footer.api': 'How this page uses the API',

    'common.loading': 'Loading…',
    'common.retry': 'Try again',
    'common.free': 'Free',
    'common.minutes': '{n} min',
    'common.hoursMinutes': '{h} h {m} min',
    'common.chapters': '{n} chapters',
    'common.chapter1': '1 chapter',
    'common.by': 'by {name}',
    'common.error': 'Something went wrong: {message}',
    'common.network': 'The server cannot be reached. Check your connection and try again.',
    'common.notFound': 'Page not found',
    'common.notFoundText': 'There is nothing at this address.',
    'common.goHome': 'Go to the catalogue',
    'common.sectionUnavailable': 'This section is not available right now.',

    'level.beginner': 'Beginner',
    'level.intermediate': 'Intermediate',
    'level.advanced': 'Advanced',
    'access.free': 'Free',
    'access.paid': 'One-time purchase',
    'access.subscription': 'Subscription',

    'home.title': 'Learn something useful this week',
    'home.lead': 'Browse {total} courses. Preview chapters are open to everyone; the rest unlock when you buy a course or subscribe.',
    'forYou.title': 'For you',
    'forYou.anonymous': 'Popular right now. Log in and your picks follow what you read.',
    'forYou.personal': 'Picked from what you bought, read and liked.',
    'forYou.coldStart': 'Popular right now. Open, like or start a few courses and your picks will follow.',
    'forYou.empty': 'No recommendations yet.',
    'forYou.unavailable': 'Recommendations are not available right now.',
    'reason.label': 'Why',
    'reason.terms': 'Shares {terms} with what you read',
    'reason.popular': 'Popular with learners',
    'reason.alsoTook': 'Learners who took {course} also took this',

    'filters.title': 'Filter courses',
    'filters.search': 'Search',
    'filters.searchPlaceholder': 'Title or topic',
    'filters.category': 'Category',
    'filters.tag': 'Tag',
    'filters.level': 'Level',
    'filters.price': 'Price',
    'filters.any': 'Any',
    'filters.all': 'All',
    'filters.free': 'Free',
    'filters.paid': 'Paid',
    'filters.subscription': 'In subscription',
    'filters.sort': 'Sort by',
    'filters.sortTitle': 'Title',
    'filters.sortNewest': 'Newest',
    'filters.sortPriceAsc': 'Price: low to high',
    'filters.sortPriceDesc': 'Price: high to low',
    'filters.apply': 'Search',
    'filters.clear': 'Clear filters',
    'catalogue.results': '{n} courses',
    'catalogue.result1': '1 course',
    'catalogue.none': 'No course matches these filters.',
    'catalogue.noneFor': 'No course matches “{q}”. Try fewer or other words, or clear the filters.',
    'card.inLanguage': 'In {language}',
    'catalogue.moreInEnglish': '{n} more courses are available in English.',
    'catalogue.showEnglish': 'Show them',
    'pagination.label': 'Pages',
    'pagination.prev': 'Previous',
    'pagination.next': 'Next',
    'pagination.goTo': 'Page {page}',

    'course.notFound': 'Course not found',
    'course.notFoundText': 'It may have been unpublished, or the address is wrong.',
    'course.notTranslated': 'This course is not available in Chinese yet: showing the English version.',
    'course.instructor': 'Instructor',
    'course.about': 'About this course',
    'course.chapters': 'Chapters',
    'course.preview': 'Preview',
    'course.locked': 'Locked',
    'course.opensOn': 'Opens {date}',
    'gift.title': 'Claim a gift',
    'gift.code': 'Gift code',
    'gift.claim': 'Claim',
    'gift.claimed': '"{title}" is now in your library.',
    'gift.loginFirst': 'Log in (or create an account) to claim your gift.',
    'chapter.dripLocked': 'This chapter opens on {date}',
    'chapter.dripText': 'This course releases its chapters over time, counted from when your access began.',
    'course.completed': 'Completed',
    'course.optional': 'Optional',
    'course.readPreview': 'Read the preview',
    'course.start': 'Start the course',
    'course.continue': 'Continue',
    'course.buy': 'Buy for {price}',
    'course.subscribe': 'Subscribe to read',
    'course.loginToBuy': 'Log in to buy',
    'course.loginToSubscribe': 'Log in to subscribe',
    'course.owned': 'You have access to this course',
    'course.ownedVia.purchase': 'You bought this course',
    'course.ownedVia.subscription': 'Included in your subscription',
    'course.ownedVia.grant': 'Access granted to you',
    'course.ownedVia.instructor': 'You teach this course',
    'course.ownedVia.free': 'This course is free',
    'course.freeCourse': 'Free course: every chapter is open.',
    'course.lockedHint': 'Locked chapters open when you buy the course.',
    'course.lockedHintSub': 'Locked chapters open with a subscription.',
    'course.progress': '{pct}% complete',
    'course.like': 'Like',
    'course.liked': 'Liked',
    'course.unliked': 'Like removed',
    'course.similar': 'Similar courses',
    'course.similarEmpty': 'No similar courses yet.',
    'course.checkoutCancelled': 'Checkout was cancelled: you have not been charged.',
    'course.redirecting': 'Taking you to the secure payment page…',
    'course.checkoutUnavailable': 'Payments are not available right now',

    'chapter.back': 'Back to the course',
    'chapter.locked': 'This chapter is locked',
    'chapter.lockedText': 'Buy the course or subscribe to read it. Preview chapters are open to everyone.',
    'chapter.lockedLogin': 'Log in, then buy the course or subscribe to read it.',
    'chapter.seeOptions': 'See the options',
    'chapter.markComplete': 'Mark as complete',
    'chapter.markIncomplete': 'Mark as not complete',
    'chapter.saved': 'Progress saved.',
    'chapter.certificate': 'Course complete! Your certificate is in your library.',
    'chapter.loginToTrack': 'Log in to keep track of your progress.',
    'chapter.progressUnavailable': 'Progress tracking is not available right now.',
    'chapter.prev': 'Previous chapter',
    'chapter.next': 'Next chapter',
    'chapter.attachments': 'Attachments',
    'chapter.video': 'Video',
    'chapter.videoUnavailable': 'The video cannot be loaded.',
    'chapter.empty': 'This chapter has no text.',
    'chapter.position': 'Chapter {n}',

    'auth.loginTitle': 'Log in',
    'auth.registerTitle': 'Create your account',
    'auth.identifier': 'Email or username',
    'auth.email': 'Email',
    'auth.username': 'Username',
    'auth.password': 'Password',
    'auth.passwordHint': 'At least 8 characters.',
    'auth.submitLogin': 'Log in',
    'auth.submitRegister': 'Create account',
    'auth.noAccount': 'New here?',
    'auth.haveAccount': 'Already have an account?',
    'auth.working': 'Please wait…',
    'auth.welcome': 'Welcome, {name}.',
    'auth.loggedOut': 'You are logged out.',
    'auth.required': 'Please fill in this field.',
    'auth.invalidEmail': 'Enter a valid email address.',
    'auth.shortPassword': 'The password needs at least 8 characters.',
    'auth.shortUsername': 'The username needs at least 3 characters.',
    'auth.forgotLink': 'Forgot your password?',
    'auth.forgotTitle': 'Forgot your password',
    'auth.forgotIntro': 'Enter the e-mail address of your account: we will send you a link to choose a new password.',
    'auth.submitForgot': 'Send the link',
    'auth.forgotSent': 'If an account uses this address, a link to reset its password is on its way. Check your inbox.',
    'auth.resetTitle': 'Choose a new password',
    'auth.resetBadLink': 'This link is incomplete. Ask for a new one.',
    'auth.newPassword': 'New password',
    'auth.confirmPassword': 'Repeat the new password',
    'auth.submitReset': 'Save and log in',
    'auth.passwordsDiffer': 'The two passwords differ.',

    'library.title': 'My library',
    'library.loginNeeded': 'Log in to see your courses.',
    'library.courses': 'Your courses',
    'library.noCourses': 'You have no courses yet. Free courses are open to everyone; paid ones appear here once bought.',
    'library.continue': 'Continue learning',
    'library.subscriberCourses': 'Your subscription opens every course marked “Subscription”.',
    'library.browseSubscription': 'Browse them',
    'library.noProgress': 'You have not started a course yet.',
    'library.nextChapter': 'Next: {title}',
    'library.finished': 'Finished',
    'library.lastActivity': 'Last activity {date}',
    'library.subscription': 'Subscription',
    'library.noSubscription': 'You have no subscription.',
    'library.seePlans': 'See the plans',
    'library.manage': 'Manage billing',
    'library.validUntil': 'Valid until {date}',
    'library.noEnd': 'No end date',
    'library.source.purchase': 'Purchased',
    'library.source.subscription': 'Subscription',
    'library.source.grant': 'Granted',
    'library.source.free': 'Free course',
    'library.status.active': 'Active',
    'library.status.past_due': 'Payment due',
    'library.allAccess': 'All subscription courses',
    'library.certificates': 'Certificates',
    'library.noCertificates': 'Finish a course to earn its certificate.',
    'library.verify': 'Verify',
    'library.download': 'PDF',
    'library.revoked': 'Revoked',
    'library.portalUnavailable': 'Billing management is not available: {message}',

    'plans.title': 'Subscribe',
    'plans.lead': 'One subscription opens every course marked “Subscription”. Cancel any time from your library.',
    'plans.month': 'per month',
    'plans.year': 'per year',
    'plans.choose': 'Subscribe',
    'plans.loginToChoose': 'Log in to subscribe',
    'plans.none': 'No plan is on sale right now.',
    'plans.allAccess': 'Every subscription course',
    'plans.someCourses': 'Selected courses',

    'return.title': 'Thank you!',
    'return.waiting': 'Your access opens as soon as Stripe confirms the payment. This usually takes a few seconds…',
    'return.done': 'Your access is ready.',
    'return.openCourse': 'Open the course',
    'return.openLibrary': 'Go to my library',
    'return.slow': 'This is taking longer than usual. Your access appears as soon as the payment is confirmed: you can leave this page and check your library later.',
    'return.checkAgain': 'Check again',
    'return.loginNeeded': 'Log in to see your purchase.',
    'return.failed': 'The payment did not go through, so nothing was charged. You can try again from the course page.',
  },
  'zh-Hans': {
    'app.name': '明灯课堂',
    'app.tagline': '由实践者讲授的简短实用课程。',
    'nav.skip': '跳到正文',
    'nav.main': '主导航',
    'nav.catalogue': '课程目录',
    'nav.plans': '订阅方案',
    'nav.library': '我的课程',
    'nav.login': '登录',
    'nav.register': '注册',
    'nav.logout': '退出',
    'nav.language': '语言',
    'nav.currency': '货币',
    'currency.courseDefault': '课程默认货币',
    'nav.breadcrumb': '当前位置',
    'nav.signedInAs': '已登录：{name}',
    'footer.text': '本店面只使用平台公开的 REST API 构建。',
    'footer.admin': '管理后台',
    'footer.api': '本页面如何调用 API',

    'common.loading': '加载中…',
    'common.retry': '重试',
    'common.free': '免费',
    'common.minutes': '{n} 分钟',
    'common.hoursMinutes': '{h} 小时 {m} 分钟',
    'common.chapters': '{n} 个章节',
    'common.chapter1': '1 个章节',
    'common.by': '讲师：{name}',
    'common.error': '出错了：{message}',
    'common.network': '无法连接服务器，请检查网络后重试。',
    'common.notFound': '页面不存在',
    'common.notFoundText': '这个地址没有内容。',
    'common.goHome': '前往课程目录',
    'common.sectionUnavailable': '此栏目暂时不可用。',

    'level.beginner': '入门',
    'level.intermediate': '进阶',
    'level.advanced': '高级',
    'access.free': '免费',
    'access.paid': '单次购买',
    'access.subscription': '订阅',

    'home.title': '这周学点有用的',
    'home.lead': '共 {total} 门课程。试读章节对所有人开放；购买课程或订阅后即可解锁其余章节。',
    'forYou.title': '为你推荐',
    'forYou.anonymous': '当前热门。登录后，推荐会根据你的学习记录调整。',
    'forYou.personal': '根据你购买、阅读和点赞的课程挑选。',
    'forYou.coldStart': '当前热门。浏览、点赞或开始学习几门课程后，推荐会随之调整。',
    'forYou.empty': '暂无推荐。',
    'forYou.unavailable': '推荐暂时不可用。',
    'reason.label': '推荐理由',
    'reason.terms': '与你学过的内容都涉及：{terms}',
    'reason.popular': '学习者都在学',
    'reason.alsoTook': '学过《{course}》的人也学了这门课',

    'filters.title': '筛选课程',
    'filters.search': '搜索',
    'filters.searchPlaceholder': '标题或主题',
    'filters.category': '分类',
    'filters.tag': '标签',
    'filters.level': '难度',
    'filters.price': '价格',
    'filters.any': '不限',
    'filters.all': '全部',
    'filters.free': '免费',
    'filters.paid': '付费',
    'filters.subscription': '订阅可读',
    'filters.sort': '排序',
    'filters.sortTitle': '标题',
    'filters.sortNewest': '最新',
    'filters.sortPriceAsc': '价格从低到高',
    'filters.sortPriceDesc': '价格从高到低',
    'filters.apply': '搜索',
    'filters.clear': '清除筛选',
    'catalogue.results': '{n} 门课程',
    'catalogue.result1': '1 门课程',
    'catalogue.none': '没有符合条件的课程。',
    'catalogue.noneFor': '没有与“{q}”匹配的课程。试试更少或其他的词，或清除筛选条件。',
    'card.inLanguage': '{language}',
    'catalogue.moreInEnglish': '另有 {n} 门课程仅提供英文版。',
    'catalogue.showEnglish': '查看英文课程',
    'pagination.label': '分页',
    'pagination.prev': '上一页',
    'pagination.next': '下一页',
    'pagination.goTo': '第 {page} 页',

    'course.notFound': '找不到课程',
    'course.notFoundText': '课程可能已下架，或地址有误。',
    'course.notTranslated': '本课程暂无中文版，以下显示英文版。',
    'course.instructor': '讲师',
    'course.about': '课程介绍',
    'course.chapters': '章节',
    'course.preview': '试读',
    'course.locked': '未解锁',
    'course.opensOn': '{date} 开放',
    'gift.title': '领取礼物',
    'gift.code': '领取码',
    'gift.claim': '领取',
    'gift.claimed': '《{title}》已加入你的学习库。',
    'gift.loginFirst': '请先登录（或注册账号）再领取礼物。',
    'chapter.dripLocked': '本章节将于 {date} 开放',
    'chapter.dripText': '本课程按进度逐步开放章节，从你获得访问权限之日起计算。',
    'course.completed': '已完成',
    'course.optional': '选修',
    'course.readPreview': '阅读试读章节',
    'course.start': '开始学习',
    'course.continue': '继续学习',
    'course.buy': '购买 {price}',
    'course.subscribe': '订阅后阅读',
    'course.loginToBuy': '登录后购买',
    'course.loginToSubscribe': '登录后订阅',
    'course.owned': '你已可以学习本课程',
    'course.ownedVia.purchase': '你已购买本课程',
    'course.ownedVia.subscription': '包含在你的订阅中',
    'course.ownedVia.grant': '已为你开通',
    'course.ownedVia.instructor': '你是本课程的讲师',
    'course.ownedVia.free': '本课程免费',
    'course.freeCourse': '免费课程：所有章节均开放。',
    'course.lockedHint': '购买课程后即可解锁全部章节。',
    'course.lockedHintSub': '订阅后即可解锁全部章节。',
    'course.progress': '已完成 {pct}%',
    'course.like': '点赞',
    'course.liked': '已点赞',
    'course.unliked': '已取消点赞',
    'course.similar': '相似课程',
    'course.similarEmpty': '暂无相似课程。',
    'course.checkoutCancelled': '已取消支付，未产生任何费用。',
    'course.redirecting': '正在前往安全支付页面…',
    'course.checkoutUnavailable': '暂时无法支付',

    'chapter.back': '返回课程',
    'chapter.locked': '本章节尚未解锁',
    'chapter.lockedText': '购买课程或订阅后即可阅读。试读章节对所有人开放。',
    'chapter.lockedLogin': '请先登录，然后购买课程或订阅。',
    'chapter.seeOptions': '查看购买方式',
    'chapter.markComplete': '标记为已完成',
    'chapter.markIncomplete': '标记为未完成',
    'chapter.saved': '进度已保存。',
    'chapter.certificate': '恭喜学完本课程！证书已放入“我的课程”。',
    'chapter.loginToTrack': '登录后即可记录学习进度。',
    'chapter.progressUnavailable': '学习进度暂时不可用。',
    'chapter.prev': '上一章',
    'chapter.next': '下一章',
    'chapter.attachments': '附件',
    'chapter.video': '视频',
    'chapter.videoUnavailable': '视频无法加载。',
    'chapter.empty': '本章节没有正文。',
    'chapter.position': '第 {n} 章',

    'auth.loginTitle': '登录',
    'auth.registerTitle': '创建账号',
    'auth.identifier': '邮箱或用户名',
    'auth.email': '邮箱',
    'auth.username': '用户名',
    'auth.password': '密码',
    'auth.passwordHint': '至少 8 个字符。',
    'auth.submitLogin': '登录',
    'auth.submitRegister': '创建账号',
    'auth.noAccount': '还没有账号？',
    'auth.haveAccount': '已有账号？',
    'auth.working': '请稍候…',
    'auth.welcome': '欢迎你，{name}。',
    'auth.loggedOut': '你已退出登录。',
    'auth.required': '请填写此项。',
    'auth.invalidEmail': '请输入有效的邮箱地址。',
    'auth.shortPassword': '密码至少需要 8 个字符。',
    'auth.shortUsername': '用户名至少需要 3 个字符。',
    'auth.forgotLink': '忘记密码？',
    'auth.forgotTitle': '忘记密码',
    'auth.forgotIntro': '请输入账号的邮箱地址，我们会发送一个设置新密码的链接。',
    'auth.submitForgot': '发送链接',
    'auth.forgotSent': '如果有账号使用此地址，重置密码的链接已发出，请查收邮件。',
    'auth.resetTitle': '设置新密码',
    'auth.resetBadLink': '此链接不完整，请重新申请。',
    'auth.newPassword': '新密码',
    'auth.confirmPassword': '再次输入新密码',
    'auth.submitReset': '保存并登录',
    'auth.passwordsDiffer': '两次输入的密码不一致。',

    'library.title': '我的课程',
    'library.loginNeeded': '登录后查看你的课程。',
    'library.courses': '你的课程',
    'library.noCourses': '你还没有课程。免费课程对所有人开放；购买的课程会显示在这里。',
    'library.continue': '继续学习',
    'library.subscriberCourses': '你的订阅可学习所有标记为“订阅”的课程。',
    'library.browseSubscription': '去看看',
    'library.noProgress': '你还没有开始学习任何课程。',
    'library.nextChapter': '下一章：{title}',
    'library.finished': '已学完',
    'library.lastActivity': '最近学习：{date}',
    'library.subscription': '订阅',
    'library.noSubscription': '你还没有订阅。',
    'library.seePlans': '查看订阅方案',
    'library.manage': '管理付款与订阅',
    'library.validUntil': '有效期至 {date}',
    'library.noEnd': '长期有效',
    'library.source.purchase': '已购买',
    'library.source.subscription': '订阅',
    'library.source.grant': '已开通',
    'library.source.free': '免费课程',
    'library.status.active': '有效',
    'library.status.past_due': '待付款',
    'library.allAccess': '全部订阅课程',
    'library.certificates': '证书',
    'library.noCertificates': '学完一门课程即可获得证书。',
    'library.verify': '验证',
    'library.download': 'PDF',
    'library.revoked': 'Revoked',
    'library.portalUnavailable': '暂时无法管理付款：{message}',

    'plans.title': '订阅',
    'plans.lead': '一次订阅即可学习所有标记为“订阅”的课程。可随时在“我的课程”中取消。',
    'plans.month': '每月',
    'plans.year': '每年',
    'plans.choose': '订阅',
    'plans.loginToChoose': '登录后订阅',
    'plans.none': '暂无可订阅的方案。',
    'plans.allAccess': '全部订阅课程',
    'plans.someCourses': '部分课程',

    'return.title': '感谢购买！',
    'return.waiting': 'Stripe 确认付款后即为你开通，通常只需几秒钟…',
    'return.done': '已为你开通。',
    'return.openCourse': '打开课程',
    'return.openLibrary': '前往我的课程',
    'return.slow': '确认时间比平时长。付款确认后会自动开通：你可以先离开此页面，稍后在“我的课程”中查看。',
    'return.checkAgain': '再次检查',
    'return.loginNeeded': '登录后查看你的购买。',
    'return.failed': '付款未成功，未产生任何费用。你可以在课程页面重新购买。',
  },
};

/** @returns {Locale} */
function initialLocale() {
  // `/?lang=zh-Hans#/…` (the admin panel's Preview links) opens the storefront in that language.
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'en' || asked === 'zh-Hans') {
    try {
      localStorage.setItem(LOCALE_KEY, asked);
    } catch {
      /* storage disabled: this visit only */
    }
    return asked;
  }
  try {
    const saved = localStorage.getItem(LOCALE_KEY);
    if (saved === 'en' || saved === 'zh-Hans') return saved;
  } catch {
    /* storage disabled: fall through to the browser's language */
  }
  return /^zh\b/i.test(navigator.language || '') ? 'zh-Hans' : 'en';
}

/** @type {Locale} */
let current = initialLocale();

/** @returns {Locale} */
export function getLocale() {
  return current;
}

/** @param {Locale} locale */
export function setLocale(locale) {
  if (!LOCALES.includes(locale)) return;
  current = locale;
  try {
    localStorage.setItem(LOCALE_KEY, locale);
  } catch {
    /* not persisted: the choice lasts this page */
  }
  document.documentElement.lang = locale;
}

/**
 * Interface text in the current locale, `{name}` placeholders filled (as text, never markup).
 * @param {string} key
 * @param {Record<string, string | number>} [vars]
 */
export function t(key, vars) {
  const template = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

/** The BCP 47 tag Intl should use for this locale. */
function intlLocale() {
  return current === 'zh-Hans' ? 'zh-Hans-CN' : 'en-US';
}

/**
 * An integer amount in the currency's minor unit, formatted for the reader: 1999 usd → "$19.99",
 * 1500 jpy → "¥1,500" (JPY has no minor unit: Intl says how many fraction digits a currency has).
 * @param {number} amount
 * @param {string} currency ISO code, any case
 */
export function formatPrice(amount, currency) {
  const code = String(currency || 'usd').toUpperCase();
  try {
    const fmt = new Intl.NumberFormat(intlLocale(), { style: 'currency', currency: code });
    const digits = fmt.resolvedOptions().maximumFractionDigits ?? 2;
    return fmt.format(amount / 10 ** digits);
  } catch {
    return `${amount} ${code}`;
  }
}

/** @param {number | null | undefined} minutes */
export function formatDuration(minutes) {
  const m = Math.max(0, Math.round(Number(minutes) || 0));
  if (m < 60) return t('common.minutes', { n: m });
  return t('common.hoursMinutes', { h: Math.floor(m / 60), m: m % 60 });
}

/** @param {string | number | Date | null | undefined} value */
export function formatDate(value) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(intlLocale(), { year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

/** "3 chapters" / "3 个章节" @param {number} n */
export function chapterCount(n) {
  return n === 1 ? t('common.chapter1') : t('common.chapters', { n });
}

/** A list joined the reader's way ("a, b and c" / "a、b和c"). @param {string[]} items */
export function formatList(items) {
  try {
    return new Intl.ListFormat(intlLocale(), { style: 'long', type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}
