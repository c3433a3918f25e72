import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { allVocabularies } from '../../platform/vocabulary/vocabulary';
import { Can } from '../access/access.decorators';

/** The registry as clients read it: consoles and integrations show the same words the service does. */
@ApiTags('vocabulary')
@ApiBearerAuth()
@Controller('vocabulary')
export class VocabularyController {
  @Get()
  @Can('read', 'Vocabulary')
  @ApiOperation({ summary: 'Every labelled code list, by name: each code with its Japanese and English label (コード一覧と表示名)' })
  list() {
    return Object.fromEntries(
      allVocabularies().map((list) => [list.name, list.codes.map((code) => ({ code, ja: list.labels[code].ja, en: list.labels[code].en }))]),
    );
  }
}
