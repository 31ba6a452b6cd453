using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Platform.OnlineStore.Tests")]
