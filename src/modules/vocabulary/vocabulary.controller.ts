import { Controller } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiTag } from '../../platform/http/api-contract/api-tags';
import { Operation } from '../../platform/http/api-contract/operation.decorator';
import { allVocabularies } from '../../platform/vocabulary/vocabulary';
import { Can } from '../access/access.decorators';
import { VocabularySchema } from './vocabulary.responses';

/** The registry as clients read it: consoles and integrations show the same words the service does. */
@ApiTag('vocabulary', { ja: 'コード一覧と表示名', en: 'Every code the API answers, with its Japanese and English label' })
@ApiBearerAuth()
@Controller()
export class VocabularyController {
  @Operation({
    route: 'GET vocabulary',
    id: 'getVocabulary',
    summary: { ja: 'すべてのコード一覧と日本語・英語の表示名', en: 'Every labelled code list, by name: each code with its Japanese and English label' },
    description: 'A fixed registry of the service (a few hundred codes), not a list of records: not paged.',
    response: { schema: VocabularySchema },
  })
  @Can('read', 'Vocabulary')
  list() {
    return Object.fromEntries(
      allVocabularies().map((list) => [list.name, list.codes.map((code) => ({ code, ja: list.labels[code].ja, en: list.labels[code].en }))]),
    );
  }
}
