using Microsoft.Extensions.Options;
using Secr.Federation.Core.Common;

namespace Secr.Federation.Server.Hosting;

/// <summary>The one way settings are bound and validated: at start, from their section, all their problems at once.</summary>
public static class SettingsBinding
{
    /// <summary>
    /// Binds <typeparamref name="T"/> from its section and validates it, with <paramref name="alsoWrong"/> (what only the
    /// raw configuration can show); throws <see cref="OptionsValidationException"/> listing every problem.
    /// </summary>
    public static T Read<T>(IConfiguration configuration, IEnumerable<string>? alsoWrong = null)
        where T : class, ISettings<T>, new()
    {
        var settings = configuration.GetSection(T.Section).Get<T>() ?? new T();
        var errors = (alsoWrong ?? []).Concat(settings.Errors()).ToList();
        return errors.Count == 0 ? settings : throw new OptionsValidationException(T.Section, typeof(T), errors);
    }

    /// <summary>Reads <typeparamref name="T"/> and registers it as itself (for the domain, which takes plain objects) and as <see cref="IOptions{T}"/>.</summary>
    public static T AddSettings<T>(this IServiceCollection services, IConfiguration configuration)
        where T : class, ISettings<T>, new() => services.AddSettings(Read<T>(configuration));

    /// <summary>Registers settings already read and validated (the bootstrap reads <c>Secr</c> before the host is built).</summary>
    public static T AddSettings<T>(this IServiceCollection services, T settings)
        where T : class, ISettings<T>, new()
    {
        services.AddSingleton(settings);
        services.AddSingleton(Options.Create(settings));
        return settings;
    }
}
