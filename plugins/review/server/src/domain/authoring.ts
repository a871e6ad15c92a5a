/**
 * What an instructor may write through the REST API, decided from facts the adapter gathered
 * (who owns what, in which review state). Pure: the Document Service middleware in
 * `services/authoring.ts` collects the facts, asks here, and maps the refusal to an HTTP answer.
 */
import type { DocumentWriteAction, ReviewState } from '@kp/platform';
import { isLockedForInstructor } from './states';

/** Every Document Service write: the middleware decides on each of them. */
export type AuthoringAction = DocumentWriteAction;
export type AuthoringTarget = 'course' | 'chapter';
export type Ownership = 'caller' | 'other' | 'none';

export interface CourseFacts {
  exists: boolean;
  owner: Ownership;
  state: ReviewState;
}

export interface AuthoringRequest {
  /** users-permissions role type of the caller. */
  role: string | null;
  /** The caller is linked to an instructor profile. */
  hasProfile: boolean;
  action: AuthoringAction;
  target: AuthoringTarget;
  /** The document being updated or deleted (absent for create). */
  document?: { exists: boolean; owner: Ownership; hasPublishedVersion: boolean };
  /**
   * The courses the write touches: the course itself; for a chapter, the course(s) it belongs to
   * now and the course it is being attached to.
   */
  courses: CourseFacts[];
  /** For chapter writes: the write leaves the chapter without a course (create without one, or unlink). */
  chapterWithoutCourse?: boolean;
  /** The data sets media (cover, video, attachments) by file id. */
  setsMediaById?: boolean;
  /** Fields of the data that instructors may not write (a course's `plans` or `chapters`). */
  readonlyFields?: readonly string[];
}

export type AuthoringRefusal =
  | 'not-instructor'
  | 'no-instructor-profile'
  | 'publish-forbidden'
  | 'media-by-id'
  | 'readonly-field'
  | 'course-required'
  | 'not-found'
  | 'course-not-found'
  | 'not-owner'
  | 'in-review'
  | 'live-delete';

export type AuthoringDecision = { allowed: true } | { allowed: false; reason: AuthoringRefusal };

const refuse = (reason: AuthoringRefusal): AuthoringDecision => ({ allowed: false, reason });

/** May this instructor write? Checks run from "who are you" to "what state is it in". */
export function decideAuthoring(req: AuthoringRequest): AuthoringDecision {
  if (req.role !== 'instructor') return refuse('not-instructor');
  if (!req.hasProfile) return refuse('no-instructor-profile');
  if (req.action === 'publish' || req.action === 'unpublish' || req.action === 'discardDraft' || req.action === 'clone') {
    // Publishing is the editor's decision (approve); cloning would copy someone's published state.
    return refuse('publish-forbidden');
  }
  if (req.action !== 'delete') {
    if (req.setsMediaById) return refuse('media-by-id');
    if ((req.readonlyFields?.length ?? 0) > 0) return refuse('readonly-field');
  }

  if (req.action !== 'create') {
    const doc = req.document;
    if (!doc || !doc.exists) return refuse('not-found');
    if (doc.owner !== 'caller') return refuse('not-owner');
  }
  if (req.target === 'chapter' && req.chapterWithoutCourse && req.action !== 'delete') return refuse('course-required');

  for (const course of req.courses) {
    if (!course.exists) return refuse('course-not-found');
    if (course.owner !== 'caller') return refuse('not-owner');
  }
  if (req.courses.some((c) => isLockedForInstructor(c.state))) return refuse('in-review');
  if (req.action === 'delete' && req.document?.hasPublishedVersion) {
    // Deleting removes the live version too, without review: an editor unpublishes instead.
    return refuse('live-delete');
  }
  return { allowed: true };
}

/** HTTP status and message for each refusal, exhaustively. */
export function describeRefusal(
  reason: AuthoringRefusal,
  target: AuthoringTarget,
  fields: readonly string[] = []
): { status: 400 | 403 | 404 | 409; message: string } {
  switch (reason) {
    case 'not-instructor':
      return { status: 403, message: `Only instructors write ${target}s through the API.` };
    case 'no-instructor-profile':
      return { status: 403, message: 'Your account is not linked to an instructor profile yet: ask an editor.' };
    case 'publish-forbidden':
      return { status: 403, message: 'Instructors cannot publish: submit the course for review (POST /api/review/courses/:documentId/submit).' };
    case 'media-by-id':
      return { status: 400, message: 'Media cannot be set by file id: upload it with POST /api/review/media.' };
    case 'readonly-field':
      return {
        status: 400,
        message: `Instructors cannot set ${fields.length ? fields.map((f) => `\`${f}\``).join(', ') : 'these fields'} on a ${target}${
          fields.includes('chapters') ? ': attach a chapter by setting its `course`' : ''
        }.`,
      };
    case 'course-required':
      return { status: 400, message: 'A chapter must belong to one of your courses: set `course` to its documentId.' };
    case 'not-found':
      return { status: 404, message: `No such ${target}.` };
    case 'course-not-found':
      return { status: 404, message: 'No such course.' };
    case 'not-owner':
      return { status: 403, message: `This ${target === 'chapter' ? 'chapter or course' : 'course'} is not yours.` };
    case 'in-review':
      return { status: 409, message: 'The course is in review: withdraw the submission to edit it, or wait for the editor.' };
    case 'live-delete':
      return { status: 409, message: `This ${target} is published: ask an editor to unpublish it before deleting.` };
    default: {
      const unreachable: never = reason;
      throw new Error(`unhandled refusal ${String(unreachable)}`);
    }
  }
}
