// The sales figures moved to the sales module. `rollups.job.ts` (kept as it is while the jobs are reworked
// elsewhere) still injects the repository by this name; when it imports SalesRepository, delete this file.
export { SalesRepository as ComparisonRepository } from '../sales/sales.repository';
