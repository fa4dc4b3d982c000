package io.mcpsession.store.memory;

/**
 * A growable FIFO with indexed access: the retained window of a log, oldest first. Not thread-safe.
 *
 * @param <T> the element type
 */
final class RingBuffer<T> {

    private Object[] elements = new Object[8];

    private int head;

    private int size;

    int size() {
        return this.size;
    }

    boolean isEmpty() {
        return this.size == 0;
    }

    void addLast(T element) {
        if (this.size == this.elements.length) {
            Object[] grown = new Object[this.elements.length * 2];
            for (int i = 0; i < this.size; i++) {
                grown[i] = this.elements[(this.head + i) % this.elements.length];
            }
            this.elements = grown;
            this.head = 0;
        }
        this.elements[(this.head + this.size) % this.elements.length] = element;
        this.size++;
    }

    T removeFirst() {
        T first = get(0);
        this.elements[this.head] = null;
        this.head = (this.head + 1) % this.elements.length;
        this.size--;
        return first;
    }

    /** The element {@code index} places after the oldest. */
    @SuppressWarnings("unchecked")
    T get(int index) {
        if (index < 0 || index >= this.size) {
            throw new IndexOutOfBoundsException(index);
        }
        return (T) this.elements[(this.head + index) % this.elements.length];
    }

}
