// The hot path answers from memory most of the time: a value when it has one, a promise only when it must wait
// (the store, Redis). Each promise and `await` it saves is a microtask less per request.
export type MaybePromise<T> = T | Promise<T>;

/** `f(value)` now when `value` is there, after it settles when it is a promise. */
export function andThen<T, U>(value: MaybePromise<T>, f: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(f) : f(value);
}
