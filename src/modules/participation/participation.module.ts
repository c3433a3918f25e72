import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { CasesModule } from '../cases/cases.module';
import { PeopleModule } from '../people/people.module';
import { ActOnConnectionHandler } from './commands/act-on-connection';
import { ConnectHandler } from './commands/connect';
import { CreateResourceHandler, UpdateResourceHandler } from './commands/keep-resource';
import { ImportResourcesHandler } from './commands/import-resources';
import { KeepVolunteerHandler } from './commands/keep-volunteer';
import { GetVolunteerHandler, ListVolunteersHandler } from './queries/volunteer-queries';
import { ParticipationController } from './http/participation.controller';
import { WindowVisitsController } from './http/window-visits.controller';
import { RecordWindowVisitHandler } from './commands/record-window-visit';
import { GetWindowVisitHandler, ListWindowVisitsHandler } from './queries/window-visit-queries';
import { GetConnectionHandler, ListConnectionsHandler } from './queries/connection-queries';
import { ProposeResourcesHandler } from './queries/proposal-queries';
import { GetResourceHandler, ListResourcesHandler } from './queries/resource-queries';

/**
 * 参加支援 — its own context: the directory of 社会資源, matching a person's wish or a plan's 参加支援
 * task to it, visits to the window (相談窓口の利用), 人財 (people offering time or skills), and connections followed up until they hold. It reads cases and plan tasks, and writes
 * disclosure receipts (recipient: the resource) like referrals do.
 */
@Module({
  imports: [AuditModule, PeopleModule, CasesModule],
  controllers: [ParticipationController, WindowVisitsController],
  providers: [
    CreateResourceHandler,
    UpdateResourceHandler,
    ImportResourcesHandler,
    ConnectHandler,
    ActOnConnectionHandler,
    ListResourcesHandler,
    GetResourceHandler,
    ProposeResourcesHandler,
    ListConnectionsHandler,
    GetConnectionHandler,
    KeepVolunteerHandler,
    ListVolunteersHandler,
    GetVolunteerHandler,
    RecordWindowVisitHandler,
    ListWindowVisitsHandler,
    GetWindowVisitHandler,
  ],
})
export class ParticipationModule {}
