"""Courses, modules and sections: content/ synced into the database, read by participants."""
