namespace Reach.Contacts;

/// <summary>
/// A person as contacts and leads both hold them: name, e-mail, phone and title, in columns of the same lengths
/// (<see cref="PersonColumns"/>), so a lead converts into a contact without losing a character.
/// </summary>
public interface IPerson
{
    string FirstName { get; }
    string? LastName { get; }
    string? Email { get; }
    string? Phone { get; }
    string? Title { get; }
}
