import type { NextFunction, Request, Response } from 'express';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';

interface OperationEntry {
  method: string;
  template: string;
  pattern: RegExp;
  operation: { operationId?: string; responses: Record<string, { content?: Record<string, unknown> }> };
}

export interface Verdict {
  operationId: string;
  violation?: string;
}

/** Every response any e2e suite receives, held against the live OpenAPI document. */
export class ApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly operations: OperationEntry[];
  private readonly validators = new Map<string, ValidateFunction>();
  /** Every violation seen by this app: TestApp.close() fails the suite when there is one. */
  readonly violations: string[] = [];

  constructor(document: OpenAPIObject) {
    addFormats(this.ajv);
    this.ajv.addSchema(document as object, 'api');
    this.operations = Object.entries(document.paths)
      .flatMap(([template, item]) =>
        Object.entries(item as Record<string, OperationEntry['operation']>)
          .filter(([, operation]) => typeof operation === 'object' && operation && 'responses' in operation)
          .map(([method, operation]) => ({ method: method.toUpperCase(), template, pattern: templatePattern(template), operation })),
      )
      // Fixed paths before templated ones: /audit/entries.csv is not /audit/entries/{id}.
      .sort((a, b) => paramCount(a.template) - paramCount(b.template));
  }

  /** The operation a request reached, if the document has it (and it is held to the contract). */
  private find(method: string, path: string): OperationEntry | undefined {
    const clean = path.length > 1 ? path.replace(/\/$/, '') : path;
    const entry = this.operations.find((o) => o.method === method && o.pattern.test(clean));
    if (!entry) return undefined;
    return entry;
  }

  /** Whether this answer is one the document promises; `body` is undefined for streamed (non-JSON) answers. */
  check(method: string, path: string, status: number, contentType: string | undefined, body: Buffer | undefined): Verdict | undefined {
    const entry = this.find(method, path);
    if (!entry) return undefined;
    const operationId = entry.operation.operationId ?? `${method} ${entry.template}`;
    const verdict = (violation?: string) => ({ operationId, violation: violation && `${operationId} answered ${status}: ${violation}` });
    const documented = entry.operation.responses[String(status)];
    if (!documented) return verdict(`status ${status} is not documented (documented: ${Object.keys(entry.operation.responses).join(', ')})`);
    const media = contentType?.split(';')[0].trim();
    const contents = Object.keys(documented.content ?? {});
    if (contents.length === 0) return verdict(body && body.length > 0 ? `a body was sent where none is documented` : undefined);
    if (!media || !contents.includes(media)) return verdict(`media type ${media ?? '(none)'} is not documented (documented: ${contents.join(', ')})`);
    if (body === undefined || !media.includes('json')) return verdict();
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch {
      return verdict('the body is not JSON');
    }
    const validate = this.validator(entry, status, media);
    if (validate(value)) return verdict();
    return verdict(`the body does not match the schema: ${this.ajv.errorsText(validate.errors, { dataVar: 'body' })}`);
  }

  private validator(entry: OperationEntry, status: number, media: string): ValidateFunction {
    const pointer = ['paths', entry.template, entry.method.toLowerCase(), 'responses', String(status), 'content', media, 'schema'].map(escapePointer).join('/');
    let validate = this.validators.get(pointer);
    if (!validate) {
      validate = this.ajv.getSchema(`api#/${pointer}`)!;
      this.validators.set(pointer, validate);
    }
    return validate;
  }

  /**
   * Express middleware: holds JSON answers back until they are checked. A violation replaces the
   * answer with a 500 problem `response_contract_violation` naming operation, status and schema
   * error (so the test that received it fails), and is recorded (so the suite fails even if it did not look).
   */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'HEAD') return next();
    const path = req.originalUrl.split('?')[0];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => Response;
    const chunks: Buffer[] = [];
    let buffering: boolean | undefined;
    let replaced = false;
    const decide = () => {
      if (buffering !== undefined) return;
      const type = String(res.getHeader('content-type') ?? '');
      buffering = type.includes('json') && !res.headersSent;
      if (!buffering) replaced = this.settle(req.method, path, res, undefined, end);
    };
    const toBuffer = (chunk: unknown, encoding?: unknown) =>
      Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding) : Buffer.from(chunk as Uint8Array);
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      decide();
      if (replaced) return true; // a stream replaced by the problem: what the handler writes after goes nowhere
      if (!buffering) return write(chunk, ...rest);
      chunks.push(toBuffer(chunk, rest[0]));
      return true;
    }) as Response['write'];
    res.end = ((...args: unknown[]) => {
      decide();
      if (replaced) return res;
      if (!buffering) return end(...args);
      const [chunk, encoding] = typeof args[0] === 'function' ? [] : args;
      if (chunk !== undefined && chunk !== null) chunks.push(toBuffer(chunk, encoding));
      const body = Buffer.concat(chunks);
      if (this.settle(req.method, path, res, body, end)) return res;
      return end(body);
    }) as Response['end'];
    next();
  };

  /** Checks the answer; on a violation records it and, if still possible, answers 500 instead. True when it answered. */
  private settle(method: string, path: string, res: Response, body: Buffer | undefined, end: (...args: unknown[]) => Response): boolean {
    const verdict = this.check(method, path, res.statusCode, String(res.getHeader('content-type') ?? '') || undefined, body);
    if (!verdict?.violation) return false;
    this.violations.push(verdict.violation);
    if (res.headersSent) return false;
    const problem = JSON.stringify({
      type: 'urn:tsunagi:problem:response_contract_violation',
      title: 'The answer breaks the API contract (test check)',
      status: 500,
      code: 'response_contract_violation',
      detail: verdict.violation,
    });
    res.statusCode = 500;
    res.setHeader('content-type', 'application/problem+json; charset=utf-8');
    res.setHeader('content-length', Buffer.byteLength(problem));
    res.removeHeader('etag');
    end(problem);
    return true;
  }
}

const paramCount = (template: string) => (template.match(/\{/g) ?? []).length;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const templatePattern = (template: string) => new RegExp(`^${template.split(/\{\w+\}/).map(escapeRegExp).join('[^/]+')}$`);
const escapePointer = (part: string) => encodeURIComponent(part.replaceAll('~', '~0').replaceAll('/', '~1'));
