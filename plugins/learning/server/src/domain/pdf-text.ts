/**
 * The words printed on a certificate, per locale, and which font a piece of text needs.
 * Pure: the PDF adapter (services/pdf.ts) lays them out.
 */
import { formatCompletionDate } from './locale';

export interface CertificateLabels {
  heading: string;
  certifies: string;
  completed: string;
  instructor: string;
  completedOn: string;
  verification: string;
  verifyAt: string;
}

const LABELS: Record<string, CertificateLabels> = {
  en: {
    heading: 'Certificate of Completion',
    certifies: 'This certifies that',
    completed: 'has successfully completed the course',
    instructor: 'Instructor',
    completedOn: 'Completed on',
    verification: 'Verification code',
    verifyAt: 'Verify at',
  },
  'zh-Hans': {
    heading: '结业证书',
    certifies: '兹证明',
    completed: '已顺利完成课程',
    instructor: '讲师',
    completedOn: '完成日期',
    verification: '验证码',
    verifyAt: '验证网址',
  },
};

/** Labels in a locale; English for any locale without its own. */
export function labelsFor(locale: string): CertificateLabels {
  return LABELS[locale] ?? LABELS.en!;
}

/** Locales whose labels need the CJK font. */
export function labelsNeedCjk(locale: string): boolean {
  return needsCjkFont(Object.values(labelsFor(locale)).join(''));
}

/**
 * Whether a text needs the embedded font: the PDF standard fonts (Helvetica…) encode WinAnsi
 * only, i.e. Latin-1 plus a few typographic marks; anything else (Chinese, Cyrillic, ≠ …) would
 * print as garbage, so it goes to the embedded Noto font.
 */
export function needsCjkFont(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/^[\u0020-\u007e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]*$/.test(text);
}

/** Everything a certificate prints, in one locale. */
export interface CertificateText {
  labels: CertificateLabels;
  platform: string;
  learnerName: string;
  courseTitle: string;
  instructorName: string | null;
  completedOn: string;
  code: string;
  verifyUrl: string | null;
}

export function certificateText(
  facts: { learnerName: string; courseTitle: string; instructorName: string | null; completedAt: Date; code: string },
  locale: string,
  platform: string,
  publicUrl: string
): CertificateText {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    labels: labelsFor(locale),
    platform,
    learnerName: facts.learnerName,
    courseTitle: facts.courseTitle,
    instructorName: facts.instructorName,
    completedOn: formatCompletionDate(facts.completedAt, locale),
    code: facts.code,
    verifyUrl: base ? `${base}/api/certificates/${facts.code}` : null,
  };
}
