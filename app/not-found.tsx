import { NotFoundMessage } from '@/components/not-found-message';
import { loadConfig } from '@/lib/config';

/** Every 404 of the dashboard: an unknown page, or an id the project does not have. */
export default function NotFound() {
  return <NotFoundMessage projects={loadConfig().dashboardProjects} />;
}
