import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The contract as the running ledger serves it: `/docs` (UI) and `/docs-json`. */
export function setUpOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Personal-data lifecycle ledger')
    .setDescription(
      'Platform services publish what happens to people; the ledger works out how long each piece of ' +
        'personal data may be kept and why, acts when deadlines pass, and proves it. ' +
        'Errors: { statusCode, error, message: [one line per problem] }.',
    )
    .setVersion('1')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description:
        'an API key from LEDGER_API_KEYS (roles publisher, compliance, auditor, admin; ' +
        'system:<id> keys act for one downstream system of LEDGER_SYSTEMS)',
    })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
