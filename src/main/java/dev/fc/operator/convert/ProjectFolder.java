package dev.fc.operator.convert;

import dev.fc.operator.input.IoProblem;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The s.yaml's folder, the only place convert reads code from: an absolute path, a {@code ..} that
 * climbs out or a symbolic link to elsewhere would copy a developer's other files into the cluster.
 * Paths are resolved as the operating system resolves them (symbolic links included, at any depth)
 * and must end inside the folder's real path. The folder is the one the s.yaml is named in: a symbolic
 * link to the folder is resolved, a symbolic link to an s.yaml elsewhere does not move it.
 */
public final class ProjectFolder {
  private final Path named;
  private final Path real;

  private ProjectFolder(Path named, Path real) {
    this.named = named;
    this.real = real;
  }

  /** The folder of the s.yaml at {@code sYaml}. */
  public static ProjectFolder of(Path sYaml) {
    return at(sYaml.toAbsolutePath().getParent());
  }

  /** The folder {@code folder} itself. */
  public static ProjectFolder at(Path folder) {
    Path named = folder.toAbsolutePath();
    try {
      return new ProjectFolder(named, named.toRealPath());
    } catch (IOException e) {
      return new ProjectFolder(named, named.normalize());
    }
  }

  /**
   * The real path of {@code written}, a path relative to this folder, when it exists and lies inside
   * it; otherwise an exception whose message completes "the folder X, which ...".
   */
  Path resolve(String written) throws CodeFolderException {
    Path relative;
    try {
      relative = Path.of(written);
    } catch (InvalidPathException e) {
      throw new CodeFolderException("is not a path: " + e.getReason());
    }
    if (relative.isAbsolute()) {
      throw new CodeFolderException("is an absolute path; convert reads code only inside " + this
          + ": write a path relative to it (e.g. ./code)");
    }
    if (relative.normalize().startsWith("..")) {
      throw new CodeFolderException("climbs out of " + this + " with '..'; convert reads code only inside it: "
          + "move the code into it");
    }
    Path candidate = named.resolve(relative);
    Path target;
    try {
      target = candidate.toRealPath();
    } catch (NoSuchFileException e) {
      throw new CodeFolderException("does not exist (" + candidate.normalize() + ")");
    } catch (IOException e) {
      throw new CodeFolderException("cannot be read: " + IoProblem.describe(e));
    }
    if (!contains(target)) {
      throw new CodeFolderException("leads through a symbolic link to " + target + ", outside " + this
          + "; convert reads code only inside it: copy the code into it");
    }
    return target;
  }

  /** Whether the real path {@code target} is this folder or lies inside it. */
  boolean contains(Path target) {
    return target.startsWith(real);
  }

  /** The real path {@code target} relative to this folder; {@link #contains} must hold. */
  Path relativize(Path target) {
    return real.relativize(target);
  }

  /** "the s.yaml's folder (/home/me/app)", for messages. */
  @Override
  public String toString() {
    return "the s.yaml's folder (" + named.normalize() + ")";
  }
}
