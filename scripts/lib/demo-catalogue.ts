/**
 * The demo catalogue, generated deterministically (a seeded PRNG, no clock): the same input gives
 * the same courses, chapters, prices and translations on every machine. Pure data, no Strapi.
 */
import { mulberry32 } from '../../src/platform/random';

export interface Localized {
  en: string;
  zh?: string;
}

export interface DemoCategory {
  slug: string;
  name: Localized;
  description: Localized;
}

export interface DemoTag {
  slug: string;
  name: Localized;
}

export interface DemoInstructor {
  slug: string;
  name: string;
  email: string;
  bio: Localized;
}

export interface DemoChapter {
  title: Localized;
  position: number;
  isPreview: boolean;
  optional: boolean;
  duration: number;
  body: Localized;
}

export interface DemoCourse {
  slug: string;
  title: Localized;
  summary: Localized;
  description: Localized;
  level: 'beginner' | 'intermediate' | 'advanced';
  access: 'free' | 'paid' | 'subscription';
  price: number;
  currency: 'usd' | 'eur' | 'gbp' | 'cny' | 'jpy';
  category: string;
  tags: string[];
  instructor: string;
  chapters: DemoChapter[];
  /** True when the course (and its chapters) also exist in zh-Hans. */
  translated: boolean;
}

export interface DemoPlan {
  slug: string;
  name: Localized;
  description: Localized;
  interval: 'month' | 'quarter' | 'year';
  /** Free days before the first charge (once per learner). */
  trialDays?: number;
  price: number;
  currency: 'usd';
  allAccess: boolean;
}

export interface DemoCatalogue {
  categories: DemoCategory[];
  tags: DemoTag[];
  instructors: DemoInstructor[];
  courses: DemoCourse[];
  plans: DemoPlan[];
}

/** The kernel's seeded PRNG (mulberry32): the same catalogue on every run. */
export const prng = mulberry32;

const CATEGORIES: Array<[string, string, string, string]> = [
  ['programming', 'Programming', '编程开发', 'Build software, from your first script to production systems.'],
  ['data-science', 'Data Science', '数据科学', 'Turn data into decisions with statistics and machine learning.'],
  ['design', 'Design', '设计', 'Interfaces, brands and type that people love to use.'],
  ['business', 'Business', '商业', 'Lead teams, ship projects and start companies.'],
  ['marketing', 'Marketing', '市场营销', 'Reach the people who need what you make.'],
  ['photography', 'Photography', '摄影', 'See light, frame stories, edit with intent.'],
  ['music', 'Music', '音乐', 'Play, write and produce music.'],
  ['languages', 'Languages', '语言学习', 'Speak with the world.'],
  ['personal-development', 'Personal Development', '个人成长', 'Habits, focus and communication.'],
  ['finance', 'Finance', '金融理财', 'Understand money, markets and your own finances.'],
];

const TAGS: Array<[string, string, string]> = [
  ['python', 'Python', 'Python'],
  ['javascript', 'JavaScript', 'JavaScript'],
  ['typescript', 'TypeScript', 'TypeScript'],
  ['react', 'React', 'React'],
  ['node-js', 'Node.js', 'Node.js'],
  ['sql', 'SQL', 'SQL'],
  ['web-development', 'Web development', '网页开发'],
  ['algorithms', 'Algorithms', '算法'],
  ['machine-learning', 'Machine learning', '机器学习'],
  ['deep-learning', 'Deep learning', '深度学习'],
  ['statistics', 'Statistics', '统计学'],
  ['data-visualization', 'Data visualization', '数据可视化'],
  ['excel', 'Excel', 'Excel'],
  ['ui-design', 'UI design', '界面设计'],
  ['ux-research', 'UX research', '用户研究'],
  ['figma', 'Figma', 'Figma'],
  ['typography', 'Typography', '字体排印'],
  ['branding', 'Branding', '品牌'],
  ['leadership', 'Leadership', '领导力'],
  ['project-management', 'Project management', '项目管理'],
  ['entrepreneurship', 'Entrepreneurship', '创业'],
  ['negotiation', 'Negotiation', '谈判'],
  ['seo', 'SEO', '搜索引擎优化'],
  ['content-marketing', 'Content marketing', '内容营销'],
  ['social-media', 'Social media', '社交媒体'],
  ['email-marketing', 'Email marketing', '邮件营销'],
  ['portrait', 'Portrait', '人像'],
  ['landscape', 'Landscape', '风光'],
  ['lighting', 'Lighting', '布光'],
  ['photo-editing', 'Photo editing', '后期修图'],
  ['guitar', 'Guitar', '吉他'],
  ['piano', 'Piano', '钢琴'],
  ['music-theory', 'Music theory', '乐理'],
  ['music-production', 'Music production', '音乐制作'],
  ['english', 'English', '英语'],
  ['japanese', 'Japanese', '日语'],
  ['mandarin', 'Mandarin', '普通话'],
  ['spanish', 'Spanish', '西班牙语'],
  ['productivity', 'Productivity', '效率'],
  ['public-speaking', 'Public speaking', '公众演讲'],
  ['mindfulness', 'Mindfulness', '正念'],
  ['investing', 'Investing', '投资'],
  ['personal-finance', 'Personal finance', '个人理财'],
  ['accounting', 'Accounting', '会计'],
  ['career', 'Career', '职业发展'],
];

/** [category, en title, zh title or '', tags, level] */
const COURSES: Array<[string, string, string, string[], DemoCourse['level']]> = [
  ['programming', 'Python from Zero to Practical Scripts', 'Python 从零到实用脚本', ['python', 'algorithms'], 'beginner'],
  ['programming', 'Modern JavaScript in Depth', '深入现代 JavaScript', ['javascript', 'web-development'], 'intermediate'],
  ['programming', 'TypeScript for Large Codebases', '大型代码库中的 TypeScript', ['typescript', 'javascript'], 'advanced'],
  ['programming', 'React: Components, Hooks and State', 'React：组件、Hooks 与状态', ['react', 'javascript', 'web-development'], 'intermediate'],
  ['programming', 'Node.js APIs that Scale', '可扩展的 Node.js API', ['node-js', 'javascript', 'sql'], 'advanced'],
  ['programming', 'SQL for Developers', '面向开发者的 SQL', ['sql', 'web-development'], 'beginner'],
  ['programming', 'Algorithms and Data Structures, Clearly Explained', '', ['algorithms', 'python'], 'intermediate'],
  ['data-science', 'Statistics for Data Analysis', '数据分析中的统计学', ['statistics', 'excel'], 'beginner'],
  ['data-science', 'Machine Learning with Python', '用 Python 做机器学习', ['machine-learning', 'python', 'statistics'], 'intermediate'],
  ['data-science', 'Deep Learning Foundations', '深度学习基础', ['deep-learning', 'machine-learning', 'python'], 'advanced'],
  ['data-science', 'Data Visualization that Persuades', '', ['data-visualization', 'statistics'], 'beginner'],
  ['data-science', 'Excel for Analysts', '分析师的 Excel', ['excel', 'data-visualization'], 'beginner'],
  ['data-science', 'SQL Analytics in Practice', '', ['sql', 'statistics', 'data-visualization'], 'intermediate'],
  ['design', 'UI Design Fundamentals', '界面设计基础', ['ui-design', 'figma'], 'beginner'],
  ['design', 'UX Research Methods', '用户研究方法', ['ux-research', 'ui-design'], 'intermediate'],
  ['design', 'Figma from Wireframe to Prototype', '', ['figma', 'ui-design'], 'beginner'],
  ['design', 'Typography for Screens', '屏幕字体排印', ['typography', 'ui-design'], 'intermediate'],
  ['design', 'Brand Identity Design', '', ['branding', 'typography'], 'intermediate'],
  ['design', 'Design Systems at Scale', '', ['ui-design', 'figma', 'branding'], 'advanced'],
  ['business', 'Leadership for New Managers', '新任经理的领导力', ['leadership', 'career'], 'beginner'],
  ['business', 'Project Management Essentials', '项目管理要点', ['project-management', 'leadership'], 'beginner'],
  ['business', 'Start a Company: From Idea to First Customers', '', ['entrepreneurship', 'negotiation'], 'intermediate'],
  ['business', 'Negotiation that Works', '', ['negotiation', 'leadership'], 'intermediate'],
  ['business', 'Agile Teams in Practice', '', ['project-management', 'productivity'], 'intermediate'],
  ['business', 'Business Strategy for Founders', '', ['entrepreneurship', 'leadership'], 'advanced'],
  ['marketing', 'SEO that Lasts', '持久有效的 SEO', ['seo', 'content-marketing'], 'beginner'],
  ['marketing', 'Content Marketing Playbook', '', ['content-marketing', 'social-media'], 'intermediate'],
  ['marketing', 'Social Media Strategy', '社交媒体策略', ['social-media', 'branding'], 'beginner'],
  ['marketing', 'Email Marketing that Converts', '', ['email-marketing', 'content-marketing'], 'intermediate'],
  ['marketing', 'Growth Marketing Analytics', '', ['seo', 'data-visualization', 'email-marketing'], 'advanced'],
  ['marketing', 'Brand Storytelling', '', ['branding', 'content-marketing'], 'beginner'],
  ['photography', 'Photography Basics: Light and Composition', '摄影基础：光线与构图', ['lighting', 'portrait', 'landscape'], 'beginner'],
  ['photography', 'Portrait Photography', '人像摄影', ['portrait', 'lighting'], 'intermediate'],
  ['photography', 'Landscape Photography', '', ['landscape', 'photo-editing'], 'intermediate'],
  ['photography', 'Studio Lighting', '', ['lighting', 'portrait'], 'advanced'],
  ['photography', 'Photo Editing Workflow', '后期修图工作流', ['photo-editing'], 'beginner'],
  ['photography', 'Street Photography', '', ['portrait', 'landscape'], 'intermediate'],
  ['music', 'Guitar for Absolute Beginners', '零基础吉他', ['guitar', 'music-theory'], 'beginner'],
  ['music', 'Piano: Reading and Playing', '钢琴：识谱与弹奏', ['piano', 'music-theory'], 'beginner'],
  ['music', 'Music Theory Made Practical', '', ['music-theory', 'piano'], 'intermediate'],
  ['music', 'Music Production in a Home Studio', '家庭录音室音乐制作', ['music-production', 'music-theory'], 'intermediate'],
  ['music', 'Songwriting Workshop', '', ['music-theory', 'guitar'], 'intermediate'],
  ['music', 'Mixing and Mastering', '', ['music-production'], 'advanced'],
  ['languages', 'English for Work', '职场英语', ['english', 'career'], 'intermediate'],
  ['languages', 'Japanese for Beginners', '日语入门', ['japanese'], 'beginner'],
  ['languages', 'Mandarin Chinese: First Conversations', '', ['mandarin'], 'beginner'],
  ['languages', 'Spanish for Travellers', '', ['spanish'], 'beginner'],
  ['languages', 'Business English Writing', '', ['english', 'career'], 'advanced'],
  ['languages', 'Japanese Grammar Intensive', '', ['japanese'], 'intermediate'],
  ['personal-development', 'Productivity Systems that Stick', '坚持得住的效率系统', ['productivity', 'mindfulness'], 'beginner'],
  ['personal-development', 'Public Speaking with Confidence', '自信地公众演讲', ['public-speaking', 'career'], 'beginner'],
  ['personal-development', 'Mindfulness for Busy People', '', ['mindfulness', 'productivity'], 'beginner'],
  ['personal-development', 'Career Change Roadmap', '', ['career', 'negotiation'], 'intermediate'],
  ['personal-development', 'Deep Work and Focus', '', ['productivity'], 'intermediate'],
  ['personal-development', 'Writing Clearly', '', ['career', 'english'], 'intermediate'],
  ['finance', 'Personal Finance Foundations', '个人理财基础', ['personal-finance', 'investing'], 'beginner'],
  ['finance', 'Investing in Index Funds', '指数基金投资', ['investing', 'personal-finance'], 'beginner'],
  ['finance', 'Accounting for Non-Accountants', '', ['accounting', 'excel'], 'beginner'],
  ['finance', 'Financial Modeling in Excel', '', ['excel', 'accounting', 'investing'], 'advanced'],
  ['finance', 'Understanding Cryptocurrency Risks', '', ['investing'], 'intermediate'],
  ['finance', 'Retirement Planning', '', ['personal-finance', 'investing'], 'intermediate'],
  ['programming', 'Web Development Bootcamp', '网页开发训练营', ['web-development', 'javascript', 'react'], 'beginner'],
  ['data-science', 'Natural Language Processing', '', ['machine-learning', 'deep-learning', 'python'], 'advanced'],
  ['design', 'Accessible Design', '', ['ui-design', 'ux-research'], 'intermediate'],
];

/** [slug, name, bio in English, bio in Simplified Chinese] */
const INSTRUCTORS: Array<[string, string, string, string]> = [
  ['ada-lin', 'Ada Lin', 'Software engineer for fifteen years; teaches programming the way she wishes she had learned it.', '有十五年经验的软件工程师，用她希望自己当年学到的方式教编程。'],
  ['marco-rossi', 'Marco Rossi', 'Data scientist who has shipped models in retail and healthcare.', '数据科学家，在零售和医疗领域上线过多个模型。'],
  ['sofia-garcia', 'Sofia García', 'Product designer and design-systems lead.', '产品设计师，设计系统负责人。'],
  ['kenji-watanabe', 'Kenji Watanabe', 'Photographer and editor; twenty years behind the camera.', '摄影师和图片编辑，拍摄二十年。'],
  ['grace-okafor', 'Grace Okafor', 'Founder, manager and coach of first-time leaders.', '创业者、管理者，也是新任管理者的教练。'],
  ['liu-yang', 'Liu Yang', 'Growth marketer who has grown three start-ups past a million users.', '增长营销人，帮助三家初创公司突破百万用户。'],
  ['emma-schmidt', 'Emma Schmidt', 'Pianist, composer and producer.', '钢琴家、作曲家和音乐制作人。'],
  ['yuki-tanaka', 'Yuki Tanaka', 'Language teacher in Tokyo and online.', '在东京和线上授课的语言老师。'],
  ['noah-williams', 'Noah Williams', 'Financial planner who writes about money without jargon.', '理财规划师，用不带术语的文字讲钱。'],
  ['priya-patel', 'Priya Patel', 'Speaker and writing coach.', '演讲者和写作教练。'],
  ['chen-wei', 'Chen Wei', 'Full-stack developer and open-source maintainer.', '全栈开发者，开源项目维护者。'],
  ['amara-diallo', 'Amara Diallo', 'Statistician and data-visualization designer.', '统计学家，数据可视化设计师。'],
];

const INSTRUCTOR_FOR_CATEGORY: Record<string, string[]> = {
  programming: ['ada-lin', 'chen-wei'],
  'data-science': ['marco-rossi', 'amara-diallo'],
  design: ['sofia-garcia'],
  business: ['grace-okafor'],
  marketing: ['liu-yang'],
  photography: ['kenji-watanabe'],
  music: ['emma-schmidt'],
  languages: ['yuki-tanaka', 'priya-patel'],
  'personal-development': ['priya-patel', 'grace-okafor'],
  finance: ['noah-williams'],
};

const CHAPTER_STEPS: Array<[string, string]> = [
  ['Welcome and what you will build', '欢迎与课程目标'],
  ['Setting up your tools', '准备工具'],
  ['Core ideas', '核心概念'],
  ['A first complete example', '第一个完整示例'],
  ['Common mistakes and how to avoid them', '常见错误与规避'],
  ['Going further', '更进一步'],
  ['A real-world project', '真实项目'],
  ['Working faster', '提高效率'],
  ['Quality and review', '质量与复盘'],
  ['Edge cases', '边界情况'],
  ['Putting it together', '融会贯通'],
  ['Practice session', '练习'],
  ['Advanced techniques', '进阶技巧'],
  ['Case study', '案例分析'],
  ['Next steps', '下一步'],
];

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

const PRICES: Record<DemoCourse['currency'], number[]> = {
  usd: [1999, 2999, 3999, 4999, 7999],
  eur: [1999, 2999, 4999],
  gbp: [1999, 2999],
  cny: [9900, 19900, 29900],
  jpy: [1500, 2400, 4800],
};

/** Generates the catalogue. `courses` limits how many courses are produced (for fast tests). */
export function buildDemoCatalogue(options: { seed?: number; courses?: number } = {}): DemoCatalogue {
  const rand = prng(options.seed ?? 20261123);
  const limit = options.courses ?? COURSES.length;
  const categories: DemoCategory[] = CATEGORIES.map(([slug, en, zh, description]) => ({
    slug,
    name: { en, zh },
    description: { en: description, zh: `${zh}：精选课程。` },
  }));
  const tags: DemoTag[] = TAGS.map(([slug, en, zh]) => ({ slug, name: { en, zh } }));
  // A translated bio, not the English one under a Chinese label: the zh-Hans pages read Chinese.
  const instructors: DemoInstructor[] = INSTRUCTORS.map(([slug, name, bio, bioZh]) => ({
    slug,
    name,
    email: `${slug}@instructors.example.com`,
    bio: { en: bio, zh: bioZh },
  }));

  const courses: DemoCourse[] = COURSES.slice(0, limit).map(([category, titleEn, titleZh, courseTags, level], index) => {
    // One course in four is free, one in four in the subscription, the rest sold one by one;
    // the first of each category is free so every shelf has something open.
    const roll = rand();
    const access: DemoCourse['access'] = index % 7 === 0 ? 'free' : roll < 0.2 ? 'free' : roll < 0.45 ? 'subscription' : 'paid';
    const currency: DemoCourse['currency'] = access === 'free' ? 'usd' : index % 9 === 4 ? 'cny' : index % 13 === 6 ? 'jpy' : index % 11 === 3 ? 'eur' : 'usd';
    const price = access === 'free' ? 0 : pick(rand, PRICES[currency]);
    const chapterCount = 5 + Math.floor(rand() * 11); // 5–15
    // At least a third of the catalogue in zh-Hans: every course with a Chinese title.
    const translated = titleZh.length > 0;
    const topic = titleEn.split(/[:,]/)[0] ?? titleEn;
    const chapters: DemoChapter[] = Array.from({ length: chapterCount }, (_, i) => {
      const [stepEn, stepZh] = CHAPTER_STEPS[i % CHAPTER_STEPS.length] as [string, string];
      const isPreview = i === 0 || (i === 1 && rand() < 0.3);
      return {
        title: { en: stepEn, zh: translated ? stepZh : undefined },
        position: i + 1,
        isPreview,
        optional: i === chapterCount - 1 && chapterCount > 8,
        duration: 5 + Math.floor(rand() * 40),
        body: {
          en: [
            `## ${stepEn}`,
            '',
            `In this chapter of *${titleEn}* we work through ${stepEn.toLowerCase()} step by step.`,
            `You will see why it matters for ${topic.toLowerCase()}, try it on a small example, and finish with a short exercise.`,
            '',
            '1. Read the explanation once, without taking notes.',
            '2. Repeat the example yourself.',
            '3. Change one thing and predict the result before you check it.',
          ].join('\n'),
          zh: translated
            ? [`## ${stepZh}`, '', `本章是《${titleZh}》的一部分：我们一步步学习「${stepZh}」，先看示例，再动手练习。`].join('\n')
            : undefined,
        },
      };
    });
    const slug = slugify(titleEn);
    return {
      slug,
      title: { en: titleEn, zh: titleZh || undefined },
      summary: {
        en: `${titleEn}: a practical, ${level} course in ${chapterCount} chapters, with exercises and a project.`,
        zh: translated ? `《${titleZh}》：${chapterCount} 个章节的实用课程，含练习与项目。` : undefined,
      },
      description: {
        en: `${titleEn} is for learners who want results they can use. Each chapter is short, ends with an exercise, and builds on the last one.`,
        zh: translated ? `本课程面向希望学以致用的学习者。每一章都简短，并以练习结束。` : undefined,
      },
      level,
      access,
      price,
      currency,
      category,
      tags: courseTags,
      instructor: pick(rand, INSTRUCTOR_FOR_CATEGORY[category] ?? ['ada-lin']),
      chapters,
      translated,
    };
  });

  const plans: DemoPlan[] = [
    {
      slug: 'all-access-monthly',
      name: { en: 'All access, monthly', zh: '全站畅学（月付）' },
      description: { en: 'Every subscription course, billed monthly. Cancel any time.', zh: '所有订阅课程，按月付费，可随时取消。' },
      interval: 'month',
      price: 1500,
      currency: 'usd',
      trialDays: 7,
      allAccess: true,
    },
    {
      slug: 'all-access-quarterly',
      name: { en: 'All access, quarterly', zh: '全站畅学（季付）' },
      description: { en: 'Every subscription course, billed every three months.', zh: '所有订阅课程，每三个月付费一次。' },
      interval: 'quarter',
      price: 3900,
      currency: 'usd',
      allAccess: true,
    },
    {
      slug: 'all-access-yearly',
      name: { en: 'All access, yearly', zh: '全站畅学（年付）' },
      description: { en: 'Every subscription course, billed yearly: two months free.', zh: '所有订阅课程，按年付费，相当于免费两个月。' },
      interval: 'year',
      price: 15000,
      currency: 'usd',
      allAccess: true,
    },
  ];

  return { categories, tags, instructors, courses, plans };
}
