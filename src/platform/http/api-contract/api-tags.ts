import { applyDecorators } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

const descriptions = new Map<string, string>();

/** Tags the controller's operations and declares the tag, with its description, at the document level. */
export function ApiTag(name: string, description: { ja: string; en: string }): ClassDecorator {
  descriptions.set(name, `${description.ja} / ${description.en}`);
  return applyDecorators(ApiTags(name));
}

export const declaredTags = () => [...descriptions].map(([name, description]) => ({ name, description })).sort((a, b) => a.name.localeCompare(b.name));
