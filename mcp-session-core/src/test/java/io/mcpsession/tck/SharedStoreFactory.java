package io.mcpsession.tck;

/**
 * Creates the storage that the instances of a multi-instance test share: a fresh, empty one per test.
 */
@FunctionalInterface
public interface SharedStoreFactory {

    /** A new, empty storage that several instances can open. */
    SharedStorage createSharedStorage();

}
