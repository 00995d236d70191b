import { AppError } from '../errors.js';

/** One move a request can make: the states it may start from and the state it leads to. */
export interface Move<S extends string> {
  readonly from: readonly S[];
  readonly to: S;
}

/**
 * A request's states and the moves between them, declared as data: the module that owns a kind
 * of request says what can happen to it, and every action asks here before it writes.
 */
export class Lifecycle<S extends string, M extends string> {
  constructor(
    /** What the request is called in errors ("broadcast", "reference"). */
    readonly noun: string,
    readonly moves: Readonly<Record<M, Move<S>>>,
    /** How a state reads in an error ("in review"). */
    private readonly labels: Readonly<Record<S, string>>,
  ) {}

  /** Whether `move` can be made from `state`. */
  allows(state: S, move: M): boolean {
    return this.moves[move].from.includes(state);
  }

  /** The state `move` leads to from `state`; 409 `wrong-state` when it cannot be made from there. */
  next(state: S, move: M): S {
    if (!this.allows(state, move)) {
      throw new AppError(409, 'wrong-state', `This ${this.noun} is ${this.labels[state]}: it cannot be ${String(move)} now.`);
    }
    return this.moves[move].to;
  }
}
