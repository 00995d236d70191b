/** A training session scheduled for the officer's audience. */
export interface TrainingNotice {
  id: string;
  title: string;
  startsAt: string;
  mode: string;
}

declare module '../../realtime/events.js' {
  interface ServerToClientEvents {
    'training:scheduled': (notice: TrainingNotice) => void;
  }
}
