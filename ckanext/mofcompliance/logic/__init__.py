"""The extension's actions, their input schemas, validators and authorisation."""
