/** A notification to its reader. */
export class NotificationResponse {
  id: string;
  kind: string;
  title: string;
  body: string;
  /** Where it leads in the app, when anywhere. */
  link: string | null;
  read: boolean;
  createdAt: string;
}

/** The caller's notifications, newest first, with how many are unread. */
export class NotificationListResponse {
  unread: number;
  items: NotificationResponse[];
}

/** How many notifications a "mark read" changed. */
export class MarkedReadResponse {
  read: number;
}
